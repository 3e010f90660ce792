// The content and feedback routes over real HTTP, on the embedded store (in memory): what the editor and the
// widget send, and every way a client can get it wrong.

import { describe, expect, it } from "vitest";
import { ContentCreateHeaders } from "../../src/serve/content-schemas.js";
import { invalidRequest, requestErrorMap } from "../../src/serve/errors.js";
import {
  postJson,
  putJson,
  removeDir,
  send,
  serveForTest,
  tempDir,
  useSampleServer,
} from "../support/serve.js";
import { embeddedStore } from "../support/store-image.js";

const { server } = useSampleServer({ store: embeddedStore() });
const url = () => server().url;
const store = () => {
  const s = server().store;
  if (!s) throw new Error("the test server has no store");
  return s;
};

const DRAFT = {
  title: "Object detection with PyTorch",
  description: "Training a detector on COCO.",
  tags: ["PyTorch", "cv", "my-own-tag", "Computer Vision"],
  author: "ada",
};

describe("POST /v1/content", () => {
  it("saves content: approved tags under their name (aliases and case folded, repeats dropped), others kept as unapproved", async () => {
    const res = await postJson(url(), "/v1/content", DRAFT);
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      title: DRAFT.title,
      description: DRAFT.description,
      tags: ["pytorch", "computer-vision"],
      unapproved_tags: ["my-own-tag"],
      author: "ada",
      version: 1,
    });
    expect(res.headers.location).toBe(`/v1/content/${res.json.id}`);
    const read = await send(url(), { path: `/v1/content/${res.json.id}` });
    expect(read.json).toEqual({ ...res.json, reported_tags: [] });
  });

  it("answers a save sent again with its Idempotency-Key with the content the first made; other values are a 409 naming it", async () => {
    const create = (body: object, key: string) =>
      send(url(), {
        method: "POST",
        path: "/v1/content",
        headers: { "content-type": "application/json", "idempotency-key": key },
        body: JSON.stringify(body),
      });
    const key = `key-${crypto.randomUUID()}`;
    const first = await create(DRAFT, key);
    expect(first.status).toBe(201);
    const { total } = await store().list({ limit: 0 });
    const again = await create(DRAFT, key);
    expect(again.status).toBe(201);
    expect(again.json).toEqual(first.json);
    expect(again.headers.location).toBe(`/v1/content/${first.json.id}`);
    expect((await store().list({ limit: 0 })).total).toBe(total);

    const changed = await create({ ...DRAFT, title: "Another title" }, key);
    expect(changed.status).toBe(409);
    expect(changed.json.error).toMatchObject({
      code: "conflict",
      details: { field: "Idempotency-Key", id: first.json.id, version: 1 },
    });
    expect(changed.json.error.message).toContain(`content ${first.json.id}`);

    for (const bad of ["has space", "x".repeat(201), "é"]) {
      const refused = await create(DRAFT, bad);
      expect(refused.status, bad).toBe(400);
      expect(refused.json.error.details.field).toBe("idempotency-key");
    }
    expect((await store().list({ limit: 0 })).total).toBe(total);
  });

  it("refuses an Idempotency-Key header sent twice, saying so, whether joined by Node or given as a list", async () => {
    const { total } = await store().list({ limit: 0 });
    const message =
      'invalid headers: idempotency-key: the Idempotency-Key header was sent more than once (its values arrive joined by ", "): send it once, with one key (the same for every retry of one save)';
    // Node joins the two headers into one value, "key-a, key-b".
    const body = JSON.stringify(DRAFT);
    for (const keys of [
      ["key-a", "key-b"],
      ["key-a", "key-a"],
    ]) {
      const joined = await send(url(), {
        method: "POST",
        path: "/v1/content",
        headers: [
          ...["host", new URL(url()).host, "content-type", "application/json"],
          ...["content-length", String(Buffer.byteLength(body))],
          ...keys.flatMap((key) => ["idempotency-key", key]),
        ],
        body,
      });
      expect(joined.status, keys.join()).toBe(400);
      expect(joined.json.error).toMatchObject({
        code: "invalid_request",
        message,
        details: { field: "idempotency-key" },
      });
    }
    // A server in front may hand the values on as a list (Node never does for this header, nor does inject).
    const listed = ContentCreateHeaders.safeParse(
      { "idempotency-key": ["key-a", "key-b"] },
      { error: requestErrorMap("headers") },
    );
    expect(invalidRequest(listed.error?.issues ?? [], "headers").message).toBe(message);
    // One key holding a comma (no space) is one key.
    const comma = await send(url(), {
      method: "POST",
      path: "/v1/content",
      headers: {
        "content-type": "application/json",
        "idempotency-key": `a,${crypto.randomUUID()}`,
      },
      body: JSON.stringify(DRAFT),
    });
    expect(comma.status).toBe(201);
    expect((await store().list({ limit: 0 })).total).toBe(total + 1);
  });

  it("keeps a 100 kB description whole and a title with HTML as text", async () => {
    const description = "word ".repeat(20_480);
    const title = `<script>alert("x")</script><b>Bold</b> & "quotes"`;
    const res = await postJson(url(), "/v1/content", { title, description });
    expect(res.status).toBe(201);
    const read = await send(url(), { path: `/v1/content/${res.json.id}` });
    expect(read.json.title).toBe(title);
    expect(read.json.description).toBe(description);
  });

  it("refuses a missing title, a wrong-typed tag list and unknown fields, naming the field", async () => {
    const missing = await postJson(url(), "/v1/content", { description: "x" });
    expect(missing.status).toBe(400);
    expect(missing.json.error.details.field).toBe("title");
    const tags = await postJson(url(), "/v1/content", { title: "x", tags: "pytorch" });
    expect(tags.json.error.details.field).toBe("tags");
    const extra = await postJson(url(), "/v1/content", { title: "x", colour: "red" });
    expect(extra.json.error.details.field).toBe("colour");
  });

  it("refuses a blank title or author in words saying what is wrong and how to fix it, on create and update", async () => {
    const created = (await postJson(url(), "/v1/content", DRAFT)).json;
    for (const title of ["", "   ", "\t\n"]) {
      for (const res of [
        await postJson(url(), "/v1/content", { title }),
        await putJson(url(), `/v1/content/${created.id}`, { title, version: 1 }),
      ]) {
        expect(res.status).toBe(400);
        expect(res.json.error).toEqual({
          code: "invalid_request",
          message:
            "invalid body: title: is empty or only whitespace: saved content needs a title; write a few words on what it is about",
          details: {
            field: "title",
            issues: [
              {
                field: "title",
                message:
                  "is empty or only whitespace: saved content needs a title; write a few words on what it is about",
              },
            ],
          },
        });
      }
    }
    const author = await postJson(url(), "/v1/content", { title: "x", author: "  " });
    expect(author.status).toBe(400);
    expect(author.json.error.message).toBe(
      "invalid body: author: is empty or only whitespace: give the author's name, or leave author out",
    );
  });
});

describe("PUT /v1/content/:id", () => {
  it("saves a new version, keeps every version, and refuses a stale one with 409 writing nothing", async () => {
    const created = (await postJson(url(), "/v1/content", DRAFT)).json;
    const updated = await putJson(url(), `/v1/content/${created.id}`, {
      title: "Object detection with PyTorch and YOLO",
      tags: ["pytorch"],
      version: 1,
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ id: created.id, version: 2, tags: ["pytorch"] });

    const stale = await putJson(url(), `/v1/content/${created.id}`, {
      title: "An edit made on version 1",
      version: 1,
    });
    expect(stale.status).toBe(409);
    // The content and its current version, to save the changes to without another GET.
    expect(stale.json.error).toEqual({
      code: "conflict",
      message: expect.any(String),
      details: { field: "version", id: created.id, version: 2 },
    });
    expect(stale.json.error.message).toContain("someone saved it since");
    // A version never saved is the client's mistake, said as such.
    const future = await putJson(url(), `/v1/content/${created.id}`, { title: "x", version: 7 });
    expect(future.status).toBe(409);
    expect(future.json.error.message).toContain("version 7 was never saved");
    expect(future.json.error.details).toEqual({ field: "version", id: created.id, version: 2 });
    const now = await send(url(), { path: `/v1/content/${created.id}` });
    expect(now.json.title).toBe("Object detection with PyTorch and YOLO");

    const versions = await send(url(), { path: `/v1/content/${created.id}/versions` });
    expect(versions.json.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(versions.json.versions[0].title).toBe(DRAFT.title);
  });

  it("answers a save that changes nothing with the version as it is, so another author's save is no conflict", async () => {
    const created = (await postJson(url(), "/v1/content", DRAFT)).json;
    // The tags as typed: an alias and another case are the same approved tags.
    for (let i = 0; i < 4; i++) {
      const same = await putJson(url(), `/v1/content/${created.id}`, { ...DRAFT, version: 1 });
      expect(same.status).toBe(200);
      expect(same.json).toEqual(created);
    }
    const versions = await send(url(), { path: `/v1/content/${created.id}/versions` });
    expect(versions.json.versions).toHaveLength(1);
    const theirs = await putJson(url(), `/v1/content/${created.id}`, {
      ...DRAFT,
      title: "Their edit of version 1",
      version: 1,
    });
    expect(theirs.status).toBe(200);
    expect(theirs.json.version).toBe(2);
  });

  it("answers 404 for content that does not exist and 400 for an id that is not one", async () => {
    const missing = await putJson(url(), "/v1/content/999999", { title: "x" });
    expect(missing.status).toBe(404);
    expect(missing.json.error.details.field).toBe("id");
    expect((await send(url(), { path: "/v1/content/999999" })).status).toBe(404);
    expect((await send(url(), { path: "/v1/content/999999/versions" })).status).toBe(404);
    const bad = await send(url(), { path: "/v1/content/abc" });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.field).toBe("id");
  });

  it("reads an id only as plain decimal digits: other spellings of a saved id are 400s naming the path parameter", async () => {
    const { id } = (await postJson(url(), "/v1/content", { title: "Spelt many ways" })).json;
    expect((await send(url(), { path: `/v1/content/${id}` })).status).toBe(200);
    expect((await send(url(), { path: `/v1/content/00${id}` })).json.id).toBe(id);
    for (const spelling of [`0x${id.toString(16)}`, `%20${id}`, `${id}e0`, `${id}.0`, `+${id}`]) {
      for (const res of [
        await send(url(), { path: `/v1/content/${spelling}` }),
        await send(url(), { path: `/v1/content/${spelling}/versions` }),
        await putJson(url(), `/v1/content/${spelling}`, { title: "overwritten?" }),
      ]) {
        expect(res.status, spelling).toBe(400);
        expect(res.json.error.details.field).toBe("id");
        expect(res.json.error.message).toMatch(/^invalid path: id: must be a whole number/);
      }
    }
    expect((await send(url(), { path: `/v1/content/${id}` })).json.title).toBe("Spelt many ways");
    const offset = await send(url(), { path: "/v1/content?offset=0x1" });
    expect(offset.json.error.details.field).toBe("offset");
  });

  it("answers 405 with Allow for a method the content path does not have", async () => {
    const res = await send(url(), { method: "DELETE", path: "/v1/content/1" });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe("GET, HEAD, PUT");
  });
});

describe("GET /v1/content", () => {
  it("lists saved content, most recently updated first, a page at a time", async () => {
    const a = (await postJson(url(), "/v1/content", { title: "First of the list" })).json;
    const b = (await postJson(url(), "/v1/content", { title: "Second of the list" })).json;
    const page = await send(url(), { path: "/v1/content?limit=2" });
    expect(page.status).toBe(200);
    expect(page.json.items.map((c: { id: number }) => c.id)).toEqual([b.id, a.id]);
    expect(page.json.total).toBeGreaterThanOrEqual(2);
    const next = await send(url(), { path: "/v1/content?limit=1&offset=1" });
    expect(next.json.items[0].id).toBe(a.id);
    expect((await send(url(), { path: "/v1/content?limit=0" })).json.error.details.field).toBe(
      "limit",
    );
  });
});

describe("content answers", () => {
  it("are sent with Cache-Control: no-store, a 404 included; suggestions and tags are not", async () => {
    const saved = (await postJson(url(), "/v1/content", { title: "Kept from caches" })).json;
    const stored = [
      await postJson(url(), "/v1/content", { title: "Kept from caches too" }),
      await send(url(), { path: "/v1/content" }),
      await send(url(), { path: `/v1/content/${saved.id}` }),
      await send(url(), { path: `/v1/content/${saved.id}/versions` }),
      await send(url(), { path: "/v1/content/999999" }),
    ];
    for (const res of stored) expect(res.headers["cache-control"]).toBe("no-store");
    expect((await send(url(), { path: "/v1/tags" })).headers["cache-control"]).toBeUndefined();
  });
});

describe("POST /v1/feedback", () => {
  const model = { id: "m-test", version: "2026-11-29T00:00:00Z" };

  it("stores an event once however often it is sent", async () => {
    const event = { id: "evt-once-1", type: "accepted", tag: "pytorch", session: "s-once" };
    const first = await postJson(url(), "/v1/feedback", { events: [event] });
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ stored: 1, duplicates: 0, unknown_content_ids: [] });
    const again = await postJson(url(), "/v1/feedback", { events: [event] });
    expect(again.json).toEqual({ stored: 0, duplicates: 1, unknown_content_ids: [] });
    expect(await store().events({ session: "s-once" })).toHaveLength(1);
  });

  it("refuses an id sent again with another event as a 409 naming it, and stores the rest of the batch", async () => {
    const session = `s-reuse-${crypto.randomUUID()}`;
    const event = (id: string, tag: string) => ({ id, type: "accepted", tag, session });
    const id = `evt-reused-${crypto.randomUUID()}`;
    expect((await postJson(url(), "/v1/feedback", { events: [event(id, "pytorch")] })).status).toBe(
      200,
    );
    // The same event again, the tag by another of its names: the same event, a duplicate.
    const alias = await postJson(url(), "/v1/feedback", { events: [event(id, "PyTorch")] });
    expect(alias.json).toEqual({ stored: 0, duplicates: 1, unknown_content_ids: [] });

    const [before, after] = [`evt-${crypto.randomUUID()}`, `evt-${crypto.randomUUID()}`];
    // One names content no one saved (a host's own id): listed in the 409 as a 200 lists it.
    const unknownContent = { ...event(after, "cv"), content_id: 2_000_000_000 };
    const res = await postJson(url(), "/v1/feedback", {
      events: [event(before, "nlp"), event(id, "computer-vision"), unknownContent],
    });
    expect(res.status).toBe(409);
    expect(res.json.error).toEqual({
      code: "conflict",
      message: `events[1].id "${id}" is the id of an event stored before (or earlier in this batch) with other values: an id must be unique per event (a new random UUID for each), so this event was not stored; send it again under a new id. The batch's other 2 events were stored: sending them again stores nothing twice.`,
      details: {
        field: "events[1].id",
        issues: [
          {
            field: "events[1].id",
            message: `"${id}" is the id of an event stored before (or earlier in this batch) with other values: send this event under a new id`,
          },
        ],
        stored: 2,
        duplicates: 0,
        unknown_content_ids: [2_000_000_000],
      },
    });
    const stored = await store().events({ session });
    expect(stored.map((e) => [e.key, e.tag])).toEqual([
      [id, "pytorch"],
      [before, "natural-language-processing"],
      [after, "computer-vision"],
    ]);
    // Sent again with a new id for the refused event: the others are duplicates, it is stored.
    const fixed = await postJson(url(), "/v1/feedback", {
      events: [event(before, "nlp"), event(`${id}-2`, "computer-vision"), unknownContent],
    });
    expect(fixed.json).toEqual({
      stored: 1,
      duplicates: 2,
      unknown_content_ids: [2_000_000_000],
    });
  });

  it("links a session's events to the content saved with it: shown, accepted, then saved and dismissed", async () => {
    const session = "s-link";
    const shown = {
      id: "evt-link-shown",
      type: "shown",
      session,
      request_id: "r1",
      model,
      latency_ms: 12.5,
      suggestions: [
        { tag: "pytorch", score: 0.9, source: "explicit" },
        { tag: "computer-vision", score: 0.6, source: "implicit" },
      ],
      // Chosen before: kept under the approved name; a tag off the list is not the model's to suggest.
      chosen: ["Torch", "my own tag"],
    };
    const accepted = { id: "evt-link-acc", type: "accepted", session, tag: "pytorch", model };
    expect((await postJson(url(), "/v1/feedback", { events: [shown, accepted] })).json.stored).toBe(
      2,
    );
    const saved = await postJson(url(), "/v1/content", {
      title: "Detectors in PyTorch",
      tags: ["pytorch"],
      session,
    });
    const events = await store().events({ contentId: saved.json.id });
    expect(events.map((e) => e.type).sort()).toEqual(["accepted", "dismissed", "saved", "shown"]);
    expect(events.find((e) => e.type === "saved")?.tags).toEqual(["pytorch"]);
    expect(events.find((e) => e.type === "dismissed")?.tag).toBe("computer-vision");
    expect(events.find((e) => e.type === "shown")).toMatchObject({
      modelId: "m-test",
      latencyMs: 12.5,
      tags: ["pytorch"],
    });
  });

  it("keeps events naming content it does not know, without that content, and says which ids", async () => {
    const known = (await postJson(url(), "/v1/content", { title: "Known content" })).json;
    const session = "s-unknown";
    const res = await postJson(url(), "/v1/feedback", {
      events: [
        { id: "evt-unknown-ok", type: "accepted", tag: "pytorch", session, content_id: known.id },
        { id: "evt-unknown-1", type: "accepted", tag: "pytorch", session, content_id: 424242 },
        {
          id: "evt-unknown-2",
          type: "reported",
          tag: "computer-vision",
          reason: "wrong",
          session,
          content_id: 424242,
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ stored: 3, duplicates: 0, unknown_content_ids: [424242] });
    const events = await store().events({ session });
    expect(events.map((e) => [e.key, e.contentId])).toEqual([
      ["evt-unknown-ok", known.id],
      ["evt-unknown-1", null],
      ["evt-unknown-2", null],
    ]);
    // Saved with the session, the content gets them, and the report goes to the review queue.
    const saved = (
      await postJson(url(), "/v1/content", {
        title: "Saved by the host",
        tags: ["pytorch"],
        session,
      })
    ).json;
    expect((await store().events({ session, type: "reported" }))[0]?.contentId).toBe(saved.id);
    const { items } = await store().reviewQueue({ limit: 1000 });
    expect(items.filter((i) => i.contentId === saved.id && i.rule === "report")).toHaveLength(1);
    // Opened again, on any device, the content says what was reported for it.
    const opened = await send(url(), { path: `/v1/content/${saved.id}` });
    expect(opened.json.reported_tags).toEqual(["computer-vision"]);
  });

  it("queues a report that arrives after its session was saved", async () => {
    const session = "s-late-report";
    const saved = (
      await postJson(url(), "/v1/content", { title: "Saved first", tags: ["pytorch"], session })
    ).json;
    const res = await postJson(url(), "/v1/feedback", {
      events: [
        {
          id: "evt-late-report",
          type: "reported",
          tag: "computer-vision",
          reason: "wrong",
          session,
        },
      ],
    });
    expect(res.json).toEqual({ stored: 1, duplicates: 0, unknown_content_ids: [] });
    const { items } = await store().reviewQueue({ limit: 1000 });
    expect(
      items.filter((i) => i.contentId === saved.id && i.rule === "report").map((i) => i.tag),
    ).toEqual(["computer-vision"]);
  });

  it("takes a session's last answer by when the client says it was shown: a batch retried late does not make an older answer last", async () => {
    const session = "s-retried";
    const shown = (id: string, requestId: string, tag: string, occurredAt: string) => ({
      id,
      type: "shown",
      session,
      request_id: requestId,
      model,
      occurred_at: occurredAt,
      suggestions: [{ tag, score: 0.9, source: "implicit" }],
    });
    // The newer answer arrives first; the older one's batch, retried after an outage, after it.
    for (const event of [
      shown("evt-retried-new", "r-new", "computer-vision", "2026-03-01T10:00:05.000+01:00"),
      shown("evt-retried-old", "r-old", "mlops", "2026-03-01T09:00:01.000Z"),
    ]) {
      expect((await postJson(url(), "/v1/feedback", { events: [event] })).status).toBe(200);
    }
    const saved = (await postJson(url(), "/v1/content", { title: "Retried", tags: [], session }))
      .json;
    const { items } = await store().reviewQueue({ limit: 1000 });
    expect(
      items
        .filter((i) => i.contentId === saved.id && i.rule === "unaccepted_suggestion")
        .map((i) => i.tag),
    ).toEqual(["computer-vision"]);
    const times = (await store().events({ session, type: "shown" })).map((e) => e.occurredAt);
    expect(times).toEqual(["2026-03-01T09:00:05.000Z", "2026-03-01T09:00:01.000Z"]);
  });

  it("refuses an occurred_at that is not a time with an offset, or one no database keeps, naming the field", async () => {
    for (const occurredAt of [
      "yesterday",
      "2026-03-01T10:00:00",
      1_772_000_000_000,
      "0000-06-01T00:00:00Z",
      "9999-12-31T23:59:59-01:00",
    ]) {
      const res = await postJson(url(), "/v1/feedback", {
        events: [{ id: "evt-bad-time", type: "accepted", tag: "pytorch", occurred_at: occurredAt }],
      });
      expect(res.status, String(occurredAt)).toBe(400);
      expect(res.json.error.details.field).toBe("events[0].occurred_at");
    }
  });

  it("describes in the OpenAPI document that unknown content ids are kept and listed", async () => {
    const doc = (await send(url(), { path: "/openapi.json" })).json;
    const feedback = doc.paths["/v1/feedback"].post;
    expect(Object.keys(feedback.responses)).not.toContain("404");
    expect(feedback.description).toMatch(/unknown_content_ids/);
    expect(JSON.stringify(doc)).toContain("unknown_content_ids");
  });

  it("names the field of a malformed event, and refuses more than 100 events with 413", async () => {
    const reason = await postJson(url(), "/v1/feedback", {
      events: [{ id: "e1", type: "reported", tag: "pytorch", reason: "boring" }],
    });
    expect(reason.status).toBe(400);
    expect(reason.json.error.details.field).toBe("events[0].reason");
    const type = await postJson(url(), "/v1/feedback", { events: [{ id: "e1", type: "liked" }] });
    expect(type.status).toBe(400);
    expect(type.json.error.details.field).toMatch(/^events\[0\]/);
    const many = Array.from({ length: 101 }, (_, i) => ({
      id: `e${i}`,
      type: "accepted",
      tag: "pytorch",
    }));
    const tooMany = await postJson(url(), "/v1/feedback", { events: many });
    expect(tooMany.status).toBe(413);
    expect(tooMany.json.error).toMatchObject({
      code: "too_many_items",
      details: { field: "events" },
    });
    expect((await postJson(url(), "/v1/feedback", { events: [] })).status).toBe(400);
  });
});

describe("text a database cannot keep, and events that are not about suggestions", () => {
  it("refuses NUL and unpaired surrogates with 400 naming the field, in content and in feedback", async () => {
    const cases: [string, unknown, string][] = [
      ["/v1/content", { title: "a\u0000b" }, "title"],
      ["/v1/content", { title: "ok", description: "x\u0000" }, "description"],
      ["/v1/content", { title: "ok", tags: ["x\ud800"] }, "tags[0]"],
      ["/v1/content", { title: "ok", author: "\udc00ada" }, "author"],
      [
        "/v1/feedback",
        {
          events: [
            { id: "e-nul", type: "reported", tag: "pytorch", reason: "other", comment: "a\u0000" },
          ],
        },
        "events[0].comment",
      ],
    ];
    for (const [path, body, field] of cases) {
      const res = await postJson(url(), path, body);
      expect(res.status, `${path} ${field}`).toBe(400);
      expect(res.json.error.details.field).toBe(field);
    }
    // A well-formed pair (an emoji) is fine.
    expect((await postJson(url(), "/v1/content", { title: "Detection 🚀" })).status).toBe(201);
  });

  it("refuses NUL in the request and model an event names, and a model with unknown or overlong fields, naming the field", async () => {
    const model = { id: "m-test", version: "2026-11-29T00:00:00Z" };
    const event = { id: "e-ref", type: "accepted", tag: "pytorch", session: "s-ref", model };
    const cases: [Record<string, unknown>, string][] = [
      [{ request_id: "r\u0000" }, "events[0].request_id"],
      [{ model: { ...model, id: "m\u0000" } }, "events[0].model.id"],
      [{ model: { ...model, version: "\u00002026" } }, "events[0].model.version"],
      [{ model: { ...model, id: "m\ud800" } }, "events[0].model.id"],
      [{ model: { ...model, id: "m".repeat(201) } }, "events[0].model.id"],
      [{ model: { ...model, colour: "red" } }, "events[0].model.colour"],
    ];
    for (const [change, field] of cases) {
      const res = await postJson(url(), "/v1/feedback", { events: [{ ...event, ...change }] });
      expect(res.status, field).toBe(400);
      expect(res.json.error.code, field).toBe("invalid_request");
      expect(res.json.error.details.field, field).toBe(field);
      expect(res.json.error.message, field).toContain(field);
    }
    expect(await store().events({ session: "s-ref" })).toHaveLength(0);
    const ok = await postJson(url(), "/v1/feedback", { events: [event] });
    expect(ok.json).toEqual({ stored: 1, duplicates: 0, unknown_content_ids: [] });
  });

  it("keeps the keys the store writes on a save out of clients' reach", async () => {
    const res = await postJson(url(), "/v1/feedback", {
      events: [{ id: "saved:1:1", type: "accepted", tag: "pytorch" }],
    });
    expect(res.status).toBe(400);
    expect(res.json.error.details.field).toBe("events[0].id");
  });

  it("refuses feedback about a tag that is not approved, storing nothing", async () => {
    const res = await postJson(url(), "/v1/feedback", {
      events: [
        { id: "e-ok-1", type: "accepted", tag: "pytorch", session: "s-junk" },
        { id: "e-junk-1", type: "reported", tag: "junk-0", reason: "wrong", session: "s-junk" },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.json.error.details.field).toBe("events[1].tag");
    expect(await store().events({ session: "s-junk" })).toHaveLength(0);
  });

  it("takes a tag in any case or as an alias, as content tags are, and stores it under its approved name", async () => {
    const session = "s-spelled";
    const res = await postJson(url(), "/v1/feedback", {
      events: [
        {
          id: "e-spelled-shown",
          type: "shown",
          session,
          suggestions: [{ tag: "PyTorch", score: 0.9, source: "explicit" }],
        },
        { id: "e-spelled-accepted", type: "accepted", tag: "PyTorch", session },
        { id: "e-spelled-reported", type: "reported", tag: "CV", reason: "wrong", session },
      ],
    });
    expect(res.status).toBe(200);
    const events = await store().events({ session });
    const tags = events.map((event) =>
      event.type === "shown" ? (event.suggestions ?? []).map((s) => s.tag) : event.tag,
    );
    expect(tags).toEqual([["pytorch"], "pytorch", "computer-vision"]);
  });

  it("takes the largest valid feedback request, over the service's default body limit", async () => {
    const events = Array.from({ length: 100 }, (_, i) => ({
      id: `e-big-${i}`,
      type: "reported",
      tag: "pytorch",
      reason: "other",
      comment: "é".repeat(2000),
    }));
    const res = await postJson(url(), "/v1/feedback", { events });
    expect(res.status).toBe(200);
    expect(res.json.stored).toBe(100);
  });
});

describe("without a store", () => {
  const bare = useSampleServer();
  it("answers content and feedback routes 503 no_store, saying why", async () => {
    const res = await postJson(bare.server().url, "/v1/content", { title: "x" });
    expect(res.status).toBe(503);
    expect(res.json.error.code).toBe("no_store");
    expect(res.json.error.message).toMatch(/--no-store/);
  });

  it("says so before waiting for a model: without a store a save never succeeds, however long one retries", async () => {
    const registry = await tempDir("tagsmith-no-model-");
    const empty = await serveForTest({ kind: "registry", dir: registry });
    try {
      for (const [path, body] of [
        ["/v1/content", { title: "x" }],
        ["/v1/feedback", { events: [{ id: "e1", type: "accepted", tag: "pytorch" }] }],
      ] as const) {
        const res = await postJson(empty.url, path, body);
        expect(res.status, path).toBe(503);
        expect(res.json.error.code, path).toBe("no_store");
        expect(res.headers["retry-after"], path).toBeUndefined();
      }
    } finally {
      await empty.close();
      await removeDir(registry);
    }
  });
});
