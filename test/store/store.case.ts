// The contract every store engine keeps, run by embedded.test.ts and postgres.test.ts against their engine. One
// store serves a file's tests, so each test makes its own content and sessions and looks only at those.

import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/database.js";
import {
  type ContentDraft,
  type ContentStore,
  type FeedbackEvent,
  openStore,
  type StoreEngine,
  StoreError,
  type StoreOptions,
} from "../../src/store/index.js";
import { MIGRATIONS } from "../../src/store/migrations.js";

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export function draft(overrides: Partial<ContentDraft> = {}): ContentDraft {
  return {
    title: "Fine-tuning BERT for sentiment",
    description: "We fine-tune a transformer on movie reviews.",
    tags: ["natural-language-processing", "transformers"],
    unapprovedTags: [],
    author: "ada",
    session: null,
    ...overrides,
  };
}

let counter = 0;
/** A unique name, so tests sharing a store never see each other's sessions and keys. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${randomUUID().slice(0, 8)}`;
}

export function shown(
  session: string,
  tags: string[],
  overrides: Partial<FeedbackEvent> = {},
): FeedbackEvent {
  return {
    type: "shown",
    key: unique("shown"),
    session,
    contentId: null,
    requestId: "req-1",
    modelId: "ensemble",
    modelVersion: "v1",
    suggestions: tags.map((tag, i) => ({ tag, score: 0.9 - i / 10, source: "implicit" as const })),
    latencyMs: 12.5,
    chosen: null,
    ...overrides,
  } as FeedbackEvent;
}

export function accepted(
  session: string,
  tag: string,
  contentId: number | null = null,
): FeedbackEvent {
  return {
    type: "accepted",
    key: unique("accepted"),
    session,
    contentId,
    requestId: "req-1",
    modelId: "ensemble",
    modelVersion: "v1",
    tag,
  };
}

export function reported(
  session: string,
  tag: string,
  contentId: number | null = null,
): FeedbackEvent {
  return {
    type: "reported",
    key: unique("reported"),
    session,
    contentId,
    requestId: "req-1",
    modelId: "ensemble",
    modelVersion: "v1",
    tag,
    reason: "offensive",
    comment: null,
  };
}

export async function rejection(promise: Promise<unknown>): Promise<StoreError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  return error as StoreError;
}

/** The shared suite; returns the store its tests use (reopened by the migration test). */
export function storeCases(engine: StoreEngine, options: () => StoreOptions): () => ContentStore {
  let store: ContentStore;
  beforeAll(async () => {
    store = await openStore(options());
  }, 30_000);
  afterAll(async () => {
    await store?.close();
  });

  describe(`content store (${engine})`, () => {
    it("names its engine and answers ping", async () => {
      expect(store.engine).toBe(engine);
      await store.ping();
    });

    it("creates content at version 1 and reads it back", async () => {
      const before = Date.now();
      const content = await store.create(draft());
      expect(content).toMatchObject({
        title: "Fine-tuning BERT for sentiment",
        description: "We fine-tune a transformer on movie reviews.",
        tags: ["natural-language-processing", "transformers"],
        unapprovedTags: [],
        author: "ada",
        version: 1,
      });
      expect(Number.isInteger(content.id)).toBe(true);
      expect(content.createdAt).toMatch(ISO);
      expect(content.updatedAt).toBe(content.createdAt);
      expect(Math.abs(Date.parse(content.createdAt) - before)).toBeLessThan(60_000);
      expect(await store.get(content.id)).toEqual(content);
    });

    it("answers null for content that does not exist", async () => {
      expect(await store.get(987_654)).toBeNull();
      expect(await store.get(2 ** 40)).toBeNull();
    });

    it("updates content, bumping the version and keeping every version, oldest first", async () => {
      const first = await store.create(draft({ title: "v1", author: null }));
      const second = await store.update(
        first.id,
        draft({ title: "v2", tags: ["computer-vision"] }),
      );
      const third = await store.update(first.id, draft({ title: "v3", tags: [] }), 2);
      expect(second).toMatchObject({ id: first.id, version: 2, title: "v2", author: "ada" });
      expect(third).toMatchObject({ id: first.id, version: 3, title: "v3", tags: [] });
      expect(third.createdAt).toBe(first.createdAt);
      expect(Date.parse(third.updatedAt)).toBeGreaterThanOrEqual(Date.parse(first.updatedAt));
      expect(await store.get(first.id)).toEqual(third);

      const versions = await store.versions(first.id);
      expect(versions.map((v) => [v.version, v.title, v.tags])).toEqual([
        [1, "v1", ["natural-language-processing", "transformers"]],
        [2, "v2", ["computer-vision"]],
        [3, "v3", []],
      ]);
      expect(versions[0]).toMatchObject({ contentId: first.id, unapprovedTags: [] });
      expect(versions[2].savedAt).toBe(third.updatedAt);
      for (const v of versions) expect(v.savedAt).toMatch(ISO);
    });

    it("refuses an update from a stale version, changing nothing", async () => {
      const content = await store.create(draft({ title: "original" }));
      await store.update(content.id, draft({ title: "theirs" }), 1);
      const error = await rejection(store.update(content.id, draft({ title: "mine" }), 1));
      expect(error.code).toBe("version_conflict");
      expect(error.details).toMatchObject({
        id: content.id,
        expectedVersion: 1,
        currentVersion: 2,
      });
      expect(await store.get(content.id)).toMatchObject({ title: "theirs", version: 2 });
      expect(await store.versions(content.id)).toHaveLength(2);
    });

    it("answers a save that changes nothing with the content as it is: no version, no save recorded, no conflict", async () => {
      const content = await store.create(draft({ title: "as it was" }));
      const session = unique("s");
      await store.recordFeedback([
        shown(session, ["computer-vision", "transformers"]),
        reported(session, "computer-vision"),
      ]);
      for (let i = 0; i < 4; i++)
        expect(await store.update(content.id, draft({ title: "as it was", session }), 1)).toEqual(
          content,
        );
      expect(await store.get(content.id)).toEqual(content);
      expect(await store.versions(content.id)).toHaveLength(1);
      // The session's events join the content, and its report is queued; no save of it is recorded: no saved or
      // dismissed event, no unaccepted_suggestion for the confident suggestion not kept.
      const events = await store.events({ contentId: content.id });
      expect(events.map((e) => [e.type, e.session])).toEqual([
        ["saved", null],
        ["shown", session],
        ["reported", session],
      ]);
      const { items } = await store.reviewQueue({ limit: 100_000 });
      expect(
        items.filter((item) => item.contentId === content.id).map((i) => [i.tag, i.rule]),
      ).toEqual([["computer-vision", "report"]]);

      // Someone else who opened version 1 saves a change without a conflict.
      const theirs = await store.update(content.id, draft({ title: "theirs" }), 1);
      expect(theirs.version).toBe(2);
      // The same values from an older version overwrite nothing: answered as it is (a retry whose answer was lost).
      expect(await store.update(content.id, draft({ title: "theirs" }), 1)).toEqual(theirs);
      expect(await store.update(content.id, draft({ title: "theirs" }))).toEqual(theirs);
      // A version never saved is still the client's mistake.
      expect((await rejection(store.update(content.id, draft({ title: "theirs" }), 3))).code).toBe(
        "version_conflict",
      );
      // Every field a version keeps counts: the author alone, or the tags' order, is a change.
      expect(
        (await store.update(content.id, draft({ title: "theirs", author: null }))).version,
      ).toBe(3);
      const reordered = draft({
        title: "theirs",
        author: null,
        tags: ["transformers", "natural-language-processing"],
      });
      expect((await store.update(content.id, reordered)).version).toBe(4);
      expect(await store.versions(content.id)).toHaveLength(4);
    });

    it("answers a create sent again with its key with the content the first made, recording nothing again", async () => {
      const key = unique("create");
      const first = await store.create(draft({ session: null }), { key });
      const { total } = await store.list({ limit: 0 });
      const again = await store.create(draft({ session: null }), { key });
      expect(again).toEqual(first);
      expect((await store.list({ limit: 0 })).total).toBe(total);
      expect(await store.versions(first.id)).toHaveLength(1);
      expect(await store.events({ contentId: first.id })).toHaveLength(1);
      // Updated since: the content as it is now.
      await store.update(first.id, draft({ title: "edited", session: null }));
      expect(await store.create(draft({ session: null }), { key })).toMatchObject({
        id: first.id,
        title: "edited",
        version: 2,
      });
      // Without a key, or with another, a create makes new content.
      expect((await store.create(draft({ session: null }))).id).not.toBe(first.id);
      expect((await store.create(draft({ session: null }), { key: unique("create") })).id).not.toBe(
        first.id,
      );
    });

    it("refuses a create key sent with other values than its content was created with, naming the content", async () => {
      const key = unique("create");
      const first = await store.create(draft({ title: "first words" }), { key });
      for (const changed of [
        draft({ title: "second words" }),
        draft({ title: "first words", tags: ["transformers"] }),
        draft({ title: "first words", author: null }),
      ]) {
        const error = await rejection(store.create(changed, { key }));
        expect(error.code).toBe("create_key_reused");
        expect(error.details).toEqual({ id: first.id, version: 1 });
        expect(error.message).toContain(`content ${first.id}`);
      }
      expect(await store.versions(first.id)).toHaveLength(1);
    });

    it("makes one content of two creates sent at once with one key", async () => {
      const key = unique("create");
      const { total } = await store.list({ limit: 0 });
      const [a, b] = await Promise.all([
        store.create(draft({ session: unique("s") }), { key }),
        store.create(draft({ session: unique("s") }), { key }),
      ]);
      expect(a.id).toBe(b.id);
      expect((await store.list({ limit: 0 })).total).toBe(total + 1);
    });

    it("refuses to update content that does not exist", async () => {
      const error = await rejection(store.update(987_654, draft()));
      expect(error.code).toBe("not_found");
      expect((await rejection(store.update(2 ** 40, draft()))).code).toBe("not_found");
      expect(await store.versions(987_654)).toEqual([]);
    });

    it("lists content newest updated first, a page at a time, with the total", async () => {
      const { total: before } = await store.list({ limit: 0 });
      const a = await store.create(draft({ title: "a" }));
      const b = await store.create(draft({ title: "b" }));
      const c = await store.create(draft({ title: "c" }));
      await store.update(a.id, draft({ title: "a2" }));
      const page = await store.list({ limit: 3 });
      expect(page.total).toBe(before + 3);
      expect(page.items.map((i) => i.title)).toEqual(["a2", "c", "b"]);
      const next = await store.list({ limit: 2, offset: 1 });
      expect(next.items.map((i) => i.id)).toEqual([c.id, b.id]);
      expect((await store.list({ offset: before + 3 })).items).toEqual([]);
    });

    it("pages content as GET /v1/content does when the caller does not say: 20 a page", async () => {
      const { total } = await store.list({ limit: 0 });
      for (let n = total; n <= 20; n++) await store.create(draft({ title: `page filler ${n}` }));
      expect((await store.list()).items).toHaveLength(20);
    });

    it("keeps unapproved tags as typed and approved tags in the author's order", async () => {
      const tags = ["transformers", "natural-language-processing", "computer-vision"];
      const unapprovedTags = ["Déjà Vu ", "c++", "  spaced", "ÉMOJI 🚀", "transformers?"];
      const content = await store.create(draft({ tags, unapprovedTags }));
      expect((await store.get(content.id))?.unapprovedTags).toEqual(unapprovedTags);
      expect((await store.get(content.id))?.tags).toEqual(tags);
      expect((await store.versions(content.id))[0].unapprovedTags).toEqual(unapprovedTags);
    });

    it("stores a 100 kB description and HTML in a title exactly as given", async () => {
      const description = "Ünïcödé 🚀 \\ ' \" \t\n$1 ".repeat(5_000).slice(0, 100_000);
      const title = `<script>alert("x")</script><b onmouseover='y'>&amp; '; DROP TABLE content; --</b>`;
      const content = await store.create(draft({ title, description }));
      const read = await store.get(content.id);
      expect(read?.title).toBe(title);
      expect(read?.description).toBe(description);
      expect(read?.description.length).toBe(100_000);
    });

    it("stores a feedback event once however often its key is sent", async () => {
      const session = unique("s");
      const [e1, e2, e3] = [shown(session, ["a"]), accepted(session, "a"), accepted(session, "b")];
      expect(await store.recordFeedback([e1, e2])).toMatchObject({ stored: 2, duplicates: 0 });
      expect(await store.recordFeedback([e1, e3, e2])).toMatchObject({ stored: 1, duplicates: 2 });
      expect(await store.recordFeedback([])).toEqual({
        stored: 0,
        duplicates: 0,
        conflicts: [],
        unknownContentIds: [],
      });
      const e4 = accepted(session, "c");
      expect(await store.recordFeedback([e4, e4])).toEqual({
        stored: 1,
        duplicates: 1,
        conflicts: [],
        unknownContentIds: [],
      });
      const events = await store.events({ session });
      expect(events.map((e) => e.key)).toEqual([e1.key, e2.key, e3.key, e4.key]);
      expect(events[0]).toMatchObject({
        type: "shown",
        session,
        contentId: null,
        requestId: "req-1",
        modelId: "ensemble",
        modelVersion: "v1",
        tag: null,
        tags: null,
        latencyMs: 12.5,
        suggestions: [{ tag: "a", score: 0.9, source: "implicit" }],
      });
      expect(events[0].createdAt).toMatch(ISO);
      expect(events[1]).toMatchObject({ type: "accepted", tag: "a", suggestions: null });
    });

    it("stores a key sent by two calls at once exactly once", async () => {
      const session = unique("s");
      const event = accepted(session, "a");
      const results = await Promise.all([
        store.recordFeedback([event, accepted(session, "b")]),
        store.recordFeedback([event]),
        store.recordFeedback([event]),
      ]);
      const stored = results.reduce((n, r) => n + r.stored, 0);
      const duplicates = results.reduce((n, r) => n + r.duplicates, 0);
      expect([stored, duplicates]).toEqual([2, 2]);
      expect((await store.events({ session })).filter((e) => e.key === event.key)).toHaveLength(1);
    });

    it("refuses a key sent again with another payload, naming it, and stores the rest of the list", async () => {
      const session = unique("s");
      const first = { ...accepted(session, "a", 987_655), occurredAt: "2026-03-01T10:00:00.000Z" };
      const one = (tag: string) => accepted(session, tag);
      expect(await store.recordFeedback([first])).toEqual({
        stored: 1,
        duplicates: 0,
        conflicts: [],
        unknownContentIds: [987_655],
      });
      // The same event again, its time written with another offset (the same instant): a duplicate.
      const again = { ...first, occurredAt: "2026-03-01T11:00:00+01:00" };
      expect(await store.recordFeedback([again])).toMatchObject({ stored: 0, duplicates: 1 });
      // Its key on another event: refused, named by position and key; the others are stored (or known).
      const [b, c] = [one("b"), one("c")];
      const reused = { ...one("other"), key: first.key };
      expect(await store.recordFeedback([b, reused, first, c])).toEqual({
        stored: 2,
        duplicates: 1,
        conflicts: [{ index: 1, key: first.key }],
        unknownContentIds: [987_655],
      });
      // Twice in one list, with other payloads: the first is stored, the second refused.
      const d = one("d");
      expect(await store.recordFeedback([d, { ...one("e"), key: d.key }, { ...d }])).toMatchObject({
        stored: 1,
        duplicates: 1,
        conflicts: [{ index: 1, key: d.key }],
      });
      const stored = await store.events({ session });
      expect(stored.map((e) => [e.key, e.tag])).toEqual([
        [first.key, "a"],
        [b.key, "b"],
        [c.key, "c"],
        [d.key, "d"],
      ]);
      // A save linking the session's events to content changes no event as its client sent it: still duplicates.
      await store.create(draft({ session }));
      expect((await store.events({ session, type: "accepted" }))[1]?.contentId).not.toBeNull();
      expect(await store.recordFeedback([first, b, c, d])).toMatchObject({
        stored: 0,
        duplicates: 4,
        conflicts: [],
      });
    });

    it("refuses one of two calls at once that send a key with other payloads", async () => {
      const session = unique("s");
      const event = accepted(session, "a");
      const results = await Promise.all([
        store.recordFeedback([event]),
        store.recordFeedback([{ ...accepted(session, "b"), key: event.key }]),
      ]);
      expect(results.map((r) => r.stored).sort()).toEqual([0, 1]);
      expect(results.flatMap((r) => r.conflicts)).toEqual([{ index: 0, key: event.key }]);
      expect(await store.events({ session })).toHaveLength(1);
    });

    it("stores reports with their reason and comment", async () => {
      const session = unique("s");
      const content = await store.create(draft());
      const report: FeedbackEvent = {
        type: "reported",
        key: unique("reported"),
        session,
        contentId: content.id,
        requestId: null,
        modelId: null,
        modelVersion: null,
        tag: "computer-vision",
        reason: "not_relevant",
        comment: "it is about <text>",
      };
      await store.recordFeedback([report]);
      const [event] = await store.events({ session, type: "reported" });
      expect(event).toMatchObject({
        contentId: content.id,
        tag: "computer-vision",
        reason: "not_relevant",
        comment: "it is about <text>",
        requestId: null,
      });
      expect(await store.events({ contentId: content.id, type: "reported" })).toHaveLength(1);
      // Reported again (another session, another device): the content's reported tags name it once.
      await store.recordFeedback([{ ...report, key: unique("reported"), session: unique("s") }]);
      expect(await store.reportedTags(content.id)).toEqual(["computer-vision"]);
      expect(await store.reportedTags(content.id + 1_000_000)).toEqual([]);
    });

    it("keeps feedback naming content that does not exist, without that content, and says which ids", async () => {
      const session = unique("s");
      const content = await store.create(draft());
      const events = [
        accepted(session, "a", content.id),
        accepted(session, "b", 987_654),
        accepted(session, "c", 2 ** 40),
        accepted(session, "d", 987_654),
      ];
      expect(await store.recordFeedback(events)).toEqual({
        stored: 4,
        duplicates: 0,
        conflicts: [],
        unknownContentIds: [987_654, 2 ** 40],
      });
      const stored = await store.events({ session });
      expect(stored.map((e) => [e.tag, e.contentId])).toEqual([
        ["a", content.id],
        ["b", null],
        ["c", null],
        ["d", null],
      ]);
      // A save of the session links them as any event stored without content.
      const saved = await store.create(draft({ session, tags: ["b"] }));
      expect((await store.events({ session, type: "accepted" })).map((e) => e.contentId)).toEqual([
        content.id,
        saved.id,
        saved.id,
        saved.id,
      ]);
    });

    it("links the session's events to the content on save and records saved and dismissed tags", async () => {
      const session = unique("s");
      const other = unique("s");
      await store.recordFeedback([
        shown(session, ["nlp", "transformers", "computer-vision"]),
        accepted(session, "transformers"),
        shown(session, ["computer-vision", "mlops", "transformers"]),
        shown(other, ["graphs"]),
      ]);
      const content = await store.create(
        draft({ session, tags: ["transformers", "nlp"], unapprovedTags: ["my-own"] }),
      );
      const events = await store.events({ session });
      expect(events.every((e) => e.contentId === content.id)).toBe(true);
      expect(events.map((e) => [e.type, e.tag ?? e.tags])).toEqual([
        ["shown", null],
        ["accepted", "transformers"],
        ["shown", null],
        ["saved", ["transformers", "nlp"]],
        ["dismissed", "computer-vision"],
        ["dismissed", "mlops"],
      ]);
      expect(events[3].key).toBe(`saved:${content.id}:1`);
      expect(events[4].key).toBe(`dismissed:${content.id}:1:computer-vision`);
      expect((await store.events({ session: other }))[0].contentId).toBeNull();

      // Suggestions shown after the first save join at the next one.
      await store.recordFeedback([shown(session, ["graphs", "nlp"])]);
      await store.update(content.id, draft({ session, tags: ["computer-vision"] }));
      const second = await store.events({ contentId: content.id });
      expect(second.every((e) => e.contentId === content.id && e.session === session)).toBe(true);
      const ofVersion2 = (key: string) =>
        key === `saved:${content.id}:2` || key.startsWith(`dismissed:${content.id}:2:`);
      expect(second.filter((e) => ofVersion2(e.key)).map((e) => e.key)).toEqual([
        `saved:${content.id}:2`,
        `dismissed:${content.id}:2:nlp`,
        `dismissed:${content.id}:2:transformers`,
        `dismissed:${content.id}:2:mlops`,
        `dismissed:${content.id}:2:graphs`,
      ]);
      expect(await store.events({ contentId: content.id, type: "saved" })).toHaveLength(2);
    });

    it("records a save without a session as a saved event only", async () => {
      const content = await store.create(draft({ session: null }));
      const events = await store.events({ contentId: content.id });
      expect(events.map((e) => [e.key, e.type, e.session, e.tags])).toEqual([
        [`saved:${content.id}:1`, "saved", null, ["natural-language-processing", "transformers"]],
      ]);
    });

    it("links an event that comes after its session was saved to that content, and queues a late report", async () => {
      const session = unique("s");
      await store.recordFeedback([shown(session, ["computer-vision", "mlops"])]);
      const content = await store.create(draft({ session, tags: ["transformers"] }));
      // Sent before the save, stored after it (a slow network): still about the content saved.
      const report = reported(session, "mlops");
      const late = [report, accepted(session, "computer-vision"), shown(session, ["graphs"])];
      expect(await store.recordFeedback(late)).toMatchObject({ stored: 3 });
      const events = await store.events({ session });
      expect(
        events.filter((e) => late.some((l) => l.key === e.key)).map((e) => e.contentId),
      ).toEqual([content.id, content.id, content.id]);
      const reports = (await store.reviewQueue({ limit: 100_000 })).items.filter(
        (i) => i.contentId === content.id && i.rule === "report",
      );
      expect(reports).toMatchObject([{ tag: "mlops", reason: "offensive" }]);
      // Sent again by a client retry: stored and queued once.
      await store.recordFeedback([report]);
      expect(
        (await store.reviewQueue({ limit: 100_000 })).items.filter(
          (i) => i.contentId === content.id && i.rule === "report",
        ),
      ).toHaveLength(1);

      // The latest save of the session wins; an event naming its content keeps it; other sessions are untouched.
      const next = await store.create(draft({ session, tags: ["graphs"] }));
      const stranger = unique("s");
      const after = [accepted(session, "mlops"), accepted(session, "nlp", content.id)];
      await store.recordFeedback([...after, accepted(stranger, "mlops")]);
      const linked = (await store.events({ session })).filter((e) =>
        after.some((a) => a.key === e.key),
      );
      expect(linked.map((e) => [e.tag, e.contentId])).toEqual([
        ["mlops", next.id],
        ["nlp", content.id],
      ]);
      expect((await store.events({ session: stranger }))[0].contentId).toBeNull();
    });

    it("links a session's event stored while the session is being saved, whichever commits first", async () => {
      for (let round = 0; round < 12; round++) {
        const session = unique("s");
        const report = reported(session, "mlops");
        const [content] = await Promise.all([
          store.create(draft({ session })),
          store.recordFeedback([report]),
        ]);
        const [event] = await store.events({ session, type: "reported" });
        expect(event.contentId, `round ${round}`).toBe(content.id);
        const reports = (await store.reviewQueue({ limit: 100_000 })).items.filter(
          (i) => i.contentId === content.id && i.rule === "report",
        );
        expect(reports, `round ${round}`).toHaveLength(1);
      }
    });

    it("migrates once: reopening keeps the data and applies no migration again", async () => {
      const content = await store.create(draft({ title: "kept across reopening" }));
      await store.close();
      store = await openStore(options());
      await store.close();
      store = await openStore(options());
      expect(await store.get(content.id)).toEqual(content);
      await store.close();
      const db = await openDatabase(options());
      try {
        const rows = await db.query<{ version: number; name: string }>(
          "SELECT version, name FROM schema_migrations ORDER BY version",
        );
        expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      } finally {
        await db.close();
      }
      store = await openStore(options());
      expect((await store.create(draft())).id).toBeGreaterThan(content.id);
    }, 30_000);
  });

  return () => store;
}
