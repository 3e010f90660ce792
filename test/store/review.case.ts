// The review queue and taxonomy candidates every store engine keeps, run by embedded.test.ts and postgres.test.ts:
// which saves and reports queue which questions under each review policy, decisions as QA'd labels, and proposals.
// Stores may share a database with other tests, so each test makes its own content and looks only at it.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSampled, parseReviewPolicy } from "../../src/feedback/index.js";
import {
  type Content,
  type ContentStore,
  type FeedbackEvent,
  openStore,
  type ReviewItem,
  type StoreEngine,
  type StoreOptions,
} from "../../src/store/index.js";
import { accepted, draft, rejection, shown, unique } from "./store.case.js";

/** A shown event of one answer (its own request unless `requestId` says which). */
function scored(
  session: string,
  suggestions: [string, number][],
  requestId: string | null = unique("request"),
): FeedbackEvent {
  return shown(session, [], {
    requestId,
    suggestions: suggestions.map(([tag, score]) => ({ tag, score, source: "implicit" as const })),
  } as Partial<FeedbackEvent>);
}

function report(
  session: string,
  tag: string,
  contentId: number | null,
  reason: "not_relevant" | "wrong" = "wrong",
): FeedbackEvent {
  return {
    type: "reported",
    key: unique("reported"),
    session,
    contentId,
    requestId: null,
    modelId: "ensemble",
    modelVersion: "v1",
    tag,
    reason,
    comment: `about ${tag}`,
  };
}

/** Every item, pending and decided, of one content: [tag, rule] in queue order. */
async function queued(store: ContentStore, contentId: number): Promise<ReviewItem[]> {
  const all: ReviewItem[] = [];
  for (const status of ["pending", "decided"] as const) {
    const { items } = await store.reviewQueue({ status, limit: 100_000 });
    all.push(...items.filter((i) => i.contentId === contentId));
  }
  return all.sort((a, b) => a.id - b.id);
}

const rules = (items: ReviewItem[]) => items.map((i) => [i.tag, i.rule]);

/** New content with a report of `tag` queued: the content and the report's review item. */
async function reportedItem(
  store: ContentStore,
  tag: string,
): Promise<{ content: Content; item: ReviewItem }> {
  const content = await store.create(draft());
  await store.recordFeedback([report(unique("s"), tag, content.id)]);
  const [item] = await queued(store, content.id);
  if (!item) throw new Error("nothing queued");
  return { content, item };
}

export function reviewCases(engine: StoreEngine, options: () => StoreOptions): void {
  const stores: Record<"conflicts" | "sample" | "all", ContentStore> = {} as never;
  beforeAll(async () => {
    stores.conflicts = await openStore(options());
    stores.sample = await openStore({ ...options(), review: parseReviewPolicy("sample:0.5") });
    stores.all = await openStore({ ...options(), review: parseReviewPolicy("all") });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(Object.values(stores).map((s) => s?.close()));
  });

  describe(`review queue (${engine})`, () => {
    it("queues final tags never shown and confident suggestions not taken, with their score", async () => {
      const store = stores.conflicts;
      expect(store.review).toEqual({ kind: "conflicts" });
      const session = unique("s");
      await store.recordFeedback([
        scored(session, [
          ["transformers", 0.9],
          ["computer-vision", 0.8],
          ["graphs", 0.4],
        ]),
        accepted(session, "transformers"),
        scored(session, [
          ["mlops", 0.5],
          ["computer-vision", 0.85],
          ["graphs", 0.45],
        ]),
      ]);
      const content = await store.create(
        draft({ session, tags: ["transformers", "natural-language-processing"] }),
      );
      const items = await queued(store, content.id);
      expect(rules(items)).toEqual([
        ["natural-language-processing", "possible_miss"],
        ["computer-vision", "unaccepted_suggestion"],
        ["mlops", "unaccepted_suggestion"],
      ]);
      expect(items.map((i) => i.score)).toEqual([null, 0.85, 0.5]);
      expect(items[0]).toMatchObject({
        contentId: content.id,
        title: content.title,
        description: content.description,
        reason: null,
        applies: null,
        reviewer: null,
        decidedAt: null,
      });
      expect(items[0]?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    });

    it("does not ask about a final tag that was already chosen when the first suggestions came", async () => {
      const store = stores.conflicts;
      const session = unique("s");
      // Editing saved content: pytorch was chosen from the start; transformers was chosen after the first poll.
      await store.recordFeedback([
        shown(session, ["graphs"], { chosen: ["pytorch"] } as Partial<FeedbackEvent>),
        shown(session, ["graphs"], {
          chosen: ["pytorch", "transformers"],
        } as Partial<FeedbackEvent>),
      ]);
      const content = await store.create(draft({ session, tags: ["pytorch", "transformers"] }));
      expect(rules(await queued(store, content.id))).toEqual([
        ["transformers", "possible_miss"],
        ["graphs", "unaccepted_suggestion"],
      ]);
    });

    it("asks about the suggestions for the text as saved, not an earlier draft's, nor one the author reported", async () => {
      const store = stores.conflicts;
      const session = unique("s");
      // The author wrote about BERT, then rewrote the text about graphs; mlops was reported, not just left.
      await store.recordFeedback([
        scored(session, [
          ["transformers", 0.9],
          ["natural-language-processing", 0.8],
        ]),
        scored(session, [
          ["graphs", 0.7],
          ["mlops", 0.6],
          ["computer-vision", 0.9],
        ]),
        report(session, "mlops", null),
      ]);
      const content = await store.create(draft({ session, tags: ["graphs"] }));
      expect(rules(await queued(store, content.id))).toEqual([
        ["mlops", "report"],
        ["computer-vision", "unaccepted_suggestion"],
      ]);
    });

    it("asks only about the last answer when the client sends no request ids", async () => {
      const store = stores.conflicts;
      const session = unique("s");
      // request_id is optional in the API: without it, each shown event is an answer of its own.
      await store.recordFeedback([
        scored(session, [["transformers", 0.9]], null),
        scored(session, [["natural-language-processing", 0.8]], null),
        scored(session, [["graphs", 0.7]], null),
      ]);
      const content = await store.create(draft({ session, tags: [] }));
      expect(rules(await queued(store, content.id))).toEqual([["graphs", "unaccepted_suggestion"]]);
    });

    it("asks about the whole last answer, also when a tag slid into the list after an accept as its own event", async () => {
      const store = stores.conflicts;
      const session = unique("s");
      const answer = unique("request");
      await store.recordFeedback([
        scored(
          session,
          [
            ["transformers", 0.95],
            ["graphs", 0.9],
            ["computer-vision", 0.8],
          ],
          answer,
        ),
        accepted(session, "transformers"),
        // The widget shows the next tag of the same answer in the freed slot, reported on its own.
        scored(session, [["mlops", 0.3]], answer),
      ]);
      const content = await store.create(draft({ session, tags: ["transformers"] }));
      expect(rules(await queued(store, content.id))).toEqual([
        ["graphs", "unaccepted_suggestion"],
        ["computer-vision", "unaccepted_suggestion"],
      ]);
    });

    it("finds the first and last answers by when they were shown, not stored (a batch retried after a newer one)", async () => {
      const store = stores.conflicts;
      const session = unique("s");
      const at = (minute: number) => `2026-03-01T10:0${minute}:00.000Z`;
      // Answer A came first, before pytorch was chosen; its batch failed and was retried after B's was stored.
      const a = scored(session, [["graphs", 0.9]]);
      const b = scored(session, [["mlops", 0.8]]);
      await store.recordFeedback([
        { ...b, chosen: ["pytorch"], occurredAt: at(2) } as FeedbackEvent,
      ]);
      await store.recordFeedback([{ ...a, chosen: [], occurredAt: at(1) } as FeedbackEvent]);
      const content = await store.create(draft({ session, tags: ["pytorch"] }));
      expect(rules(await queued(store, content.id))).toEqual([
        ["pytorch", "possible_miss"],
        ["mlops", "unaccepted_suggestion"],
      ]);
      const stored = await store.events({ session, type: "shown" });
      expect(stored.map((e) => [e.requestId, e.occurredAt])).toEqual([
        [b.requestId, at(2)],
        [a.requestId, at(1)],
      ]);
    });

    it("pages the queue as GET /v1/admin/review does when the caller does not say: 20 a page", async () => {
      const store = stores.conflicts;
      const content = await store.create(draft());
      await store.recordFeedback(
        Array.from({ length: 21 }, (_, i) => report(unique("s"), `page-filler-${i}`, content.id)),
      );
      const page = await store.reviewQueue();
      expect(page.total).toBeGreaterThan(20);
      expect(page.items).toHaveLength(20);
    });

    it("does not ask in a later session about a tag reported for the content in an earlier one", async () => {
      const store = stores.conflicts;
      const first = unique("s");
      await store.recordFeedback([scored(first, [["graphs", 0.9]]), report(first, "graphs", null)]);
      const content = await store.create(draft({ session: first, tags: ["transformers"] }));
      // Reopened after a reload: the widget no longer knows of the report, graphs is suggested again and left.
      const second = unique("s");
      await store.recordFeedback([scored(second, [["graphs", 0.95]])]);
      await store.update(content.id, draft({ session: second, tags: ["transformers"] }));
      expect(rules(await queued(store, content.id))).toEqual([
        ["graphs", "report"],
        ["transformers", "possible_miss"],
      ]);
    });

    it("withdraws a pending unaccepted suggestion when a report of the tag arrives after the save", async () => {
      const store = stores.conflicts;
      const session = unique("s");
      await store.recordFeedback([scored(session, [["graphs", 0.9]])]);
      const content = await store.create(draft({ session, tags: ["transformers"] }));
      await store.recordFeedback([report(session, "graphs", content.id)]);
      expect(rules(await queued(store, content.id))).toEqual([
        ["transformers", "possible_miss"],
        ["graphs", "report"],
      ]);
    });

    it("gives a report the highest score its session showed the tag with, and none where none is stored", async () => {
      const store = stores.conflicts;
      const session = unique("s");
      await store.recordFeedback([
        scored(session, [["graphs", 0.6]]),
        scored(session, [
          ["graphs", 0.8],
          ["mlops", 0.3],
        ]),
      ]);
      const content = await store.create(draft({ session, tags: ["transformers"] }));
      await store.recordFeedback([
        report(session, "graphs", content.id),
        report(unique("s"), "mlops", content.id),
      ]);
      const items = await queued(store, content.id);
      expect(items.filter((i) => i.rule === "report").map((i) => [i.tag, i.score])).toEqual([
        ["graphs", 0.8],
        ["mlops", null],
      ]);
    });

    it("queues no conflicts for a save without a session, or a session shown nothing", async () => {
      const store = stores.conflicts;
      const none = await store.create(draft({ session: null }));
      expect(await queued(store, none.id)).toEqual([]);
      const session = unique("s");
      await store.recordFeedback([accepted(session, "transformers")]);
      const quiet = await store.create(draft({ session }));
      expect(await queued(store, quiet.id)).toEqual([]);
    });

    it("never holds two pending items for one content, tag and rule, and does not re-ask a decided tag on save", async () => {
      const store = stores.conflicts;
      const session = unique("s");
      await store.recordFeedback([scored(session, [["graphs", 0.9]])]);
      const content = await store.create(draft({ session, tags: ["transformers"] }));
      await store.update(content.id, draft({ session, tags: ["transformers"] }));
      await store.update(content.id, draft({ session, tags: ["transformers"] }));
      expect(rules(await queued(store, content.id))).toEqual([
        ["transformers", "possible_miss"],
        ["graphs", "unaccepted_suggestion"],
      ]);
      const miss = (await queued(store, content.id))[0] as ReviewItem;
      await store.decide(miss.id, { applies: true, reviewer: "rita" });
      await store.update(content.id, draft({ session, tags: ["transformers"] }));
      expect((await queued(store, content.id)).filter((i) => i.decidedAt === null)).toHaveLength(1);
    });

    it("queues a report at once when it names its content, else when the save links its session", async () => {
      const store = stores.conflicts;
      const content = await store.create(draft());
      const early = unique("s");
      await store.recordFeedback([
        report(early, "computer-vision", content.id, "not_relevant"),
        report(early, "computer-vision", content.id),
      ]);
      const reports = (await queued(store, content.id)).filter((i) => i.rule === "report");
      expect(reports).toHaveLength(1);
      expect(reports[0]).toMatchObject({
        tag: "computer-vision",
        reason: "not_relevant",
        comment: "about computer-vision",
      });

      const session = unique("s");
      await store.recordFeedback([
        scored(session, [["graphs", 0.3]]),
        report(session, "graphs", null),
      ]);
      const { total: before } = await store.reviewQueue();
      const later = await store.create(draft({ session, tags: ["transformers"] }));
      expect(rules(await queued(store, later.id))).toEqual([
        ["graphs", "report"],
        ["transformers", "possible_miss"],
      ]);
      expect((await store.reviewQueue()).total).toBeGreaterThanOrEqual(before + 2);
      // A report sent again (a client retry) is stored and queued once.
      const again = report(session, "mlops", later.id);
      await store.recordFeedback([again]);
      await store.recordFeedback([again]);
      expect((await queued(store, later.id)).filter((i) => i.tag === "mlops")).toHaveLength(1);
    });

    it("sample:R reviews every final tag of the content its hash picks, the same way on every save", async () => {
      const store = stores.sample;
      const policy = parseReviewPolicy("sample:0.5");
      const contents = [];
      for (let i = 0; i < 16; i++)
        contents.push(await store.create(draft({ tags: ["transformers", "graphs"] })));
      const picked = contents.filter((c) => isSampled(c.id, policy));
      expect(picked.length).toBeGreaterThan(0);
      expect(picked.length).toBeLessThan(contents.length);
      for (const content of contents) {
        await store.update(content.id, draft({ tags: ["transformers", "graphs", "mlops"] }));
        expect(rules(await queued(store, content.id))).toEqual(
          isSampled(content.id, policy)
            ? [
                ["transformers", "sampled"],
                ["graphs", "sampled"],
                ["mlops", "sampled"],
              ]
            : [],
        );
      }
    });

    it("all reviews every final tag, asking once per tag when a conflict rule already asks", async () => {
      const store = stores.all;
      const session = unique("s");
      await store.recordFeedback([
        scored(session, [
          ["transformers", 0.9],
          ["graphs", 0.7],
        ]),
      ]);
      const content = await store.create(
        draft({ session, tags: ["transformers", "computer-vision"] }),
      );
      expect(rules(await queued(store, content.id))).toEqual([
        ["computer-vision", "possible_miss"],
        ["graphs", "unaccepted_suggestion"],
        ["transformers", "sampled"],
      ]);
    });

    it("turns a decision into a QA'd label with its provenance, and refuses a second one", async () => {
      const store = stores.conflicts;
      const { content, item } = await reportedItem(store, "graphs");
      const decided = await store.decide(item.id, {
        applies: false,
        reviewer: "rita",
        note: "about text",
      });
      expect(decided).toMatchObject({
        id: item.id,
        tag: "graphs",
        rule: "report",
        applies: false,
        reviewer: "rita",
        note: "about text",
      });
      expect(decided.decidedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect((await store.qaLabels()).find((l) => l.itemId === item.id)).toEqual({
        contentId: content.id,
        tag: "graphs",
        applies: false,
        reviewer: "rita",
        decidedAt: decided.decidedAt,
        rule: "report",
        itemId: item.id,
        note: "about text",
      });
      // With the content it is about, read with it: every labeled item's, once, and only those.
      const { labels, contents } = await store.qaLabelsWithContent();
      expect(labels).toEqual(await store.qaLabels());
      expect(contents.map((c) => c.id)).toEqual(
        [...new Set(labels.map((l) => l.contentId))].sort((a, b) => a - b),
      );
      expect(contents.find((c) => c.id === content.id)).toEqual(await store.get(content.id));
      const decidedPage = await store.reviewQueue({ status: "decided", limit: 1 });
      expect(decidedPage.items[0]?.id).toBe(item.id);
      expect(
        (await store.reviewQueue({ status: "pending", limit: 100_000 })).items,
      ).not.toContainEqual(expect.objectContaining({ id: item.id }));

      const again = await rejection(store.decide(item.id, { applies: true, reviewer: "sam" }));
      expect(again.code).toBe("already_decided");
      expect(again.message).toContain("rita");
      expect((await rejection(store.decide(987_654, { applies: true, reviewer: "x" }))).code).toBe(
        "not_found",
      );
      expect((await rejection(store.decide(2 ** 40, { applies: true, reviewer: "x" }))).code).toBe(
        "not_found",
      );
    });

    it("lets exactly one of two reviewers deciding at once win", async () => {
      const store = stores.conflicts;
      const { item } = await reportedItem(store, "mlops");
      const results = await Promise.allSettled([
        store.decide(item.id, { applies: true, reviewer: "ann" }),
        store.decide(item.id, { applies: false, reviewer: "bob" }),
        store.decide(item.id, { applies: false, reviewer: "cid" }),
      ]);
      const won = results.filter((r) => r.status === "fulfilled");
      const lost = results.filter((r) => r.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost.map((r) => (r.reason as { code: string }).code)).toEqual([
        "already_decided",
        "already_decided",
      ]);
      const winner = (won[0] as PromiseFulfilledResult<ReviewItem>).value;
      expect((await store.qaLabels()).filter((l) => l.itemId === item.id)).toEqual([
        expect.objectContaining({ reviewer: winner.reviewer, applies: winner.applies }),
      ]);
    });

    it("undoes a decision: the item is pending again, its label gone, and it can be decided anew", async () => {
      const store = stores.conflicts;
      const { content, item } = await reportedItem(store, "graphs");
      const decided = await store.decide(item.id, {
        applies: true,
        reviewer: "rita",
        note: "oops",
      });
      const undone = await store.undoDecision(item.id, {
        reviewer: "rita",
        decidedAt: decided.decidedAt as string,
      });
      expect(undone).toEqual({
        ...decided,
        applies: null,
        reviewer: null,
        note: null,
        decidedAt: null,
      });
      expect((await store.qaLabels()).filter((l) => l.itemId === item.id)).toEqual([]);
      expect(await queued(store, content.id)).toEqual([undone]);
      const pending = (await store.reviewQueue({ status: "pending", limit: 100_000 })).items;
      expect(pending.map((i) => i.id)).toContain(item.id);

      const again = await store.decide(item.id, { applies: false, reviewer: "sam" });
      expect((await store.qaLabels()).filter((l) => l.itemId === item.id)).toEqual([
        expect.objectContaining({ applies: false, reviewer: "sam", decidedAt: again.decidedAt }),
      ]);
    });

    it("refuses to undo a pending item, someone else's decision, or one made again since, changing nothing", async () => {
      const store = stores.conflicts;
      const { item } = await reportedItem(store, "mlops");
      const undo = (reviewer: string, decidedAt: string | null) =>
        rejection(store.undoDecision(item.id, { reviewer, decidedAt: decidedAt as string }));

      const pending = await undo("rita", "2026-01-01T00:00:00.000Z");
      expect([pending.code, pending.details.field]).toEqual(["undo_refused", "id"]);
      expect(pending.message).toContain(`review item ${item.id} is pending`);

      const first = await store.decide(item.id, { applies: true, reviewer: "rita" });
      const other = await undo("sam", first.decidedAt);
      expect([other.code, other.details.field]).toEqual(["undo_refused", "reviewer"]);
      expect(other.message).toContain("only the reviewer who decided can undo it; ask rita");

      await store.undoDecision(item.id, { reviewer: "rita", decidedAt: first.decidedAt as string });
      const second = await store.decide(item.id, { applies: false, reviewer: "rita" });
      expect(second.decidedAt).not.toBe(first.decidedAt);
      const stale = await undo("rita", first.decidedAt);
      expect([stale.code, stale.details.field]).toEqual(["undo_refused", "decided_at"]);
      expect(stale.message).toContain(`decided again at ${second.decidedAt}`);
      expect((await store.qaLabels()).filter((l) => l.itemId === item.id)).toEqual([
        expect.objectContaining({ applies: false, decidedAt: second.decidedAt }),
      ]);

      for (const id of [987_654, 2 ** 40])
        expect(
          (await rejection(store.undoDecision(id, { reviewer: "rita", decidedAt: "x" }))).code,
        ).toBe("not_found");
    });

    it("refuses to undo while another pending item asks the same question", async () => {
      const store = stores.conflicts;
      const { content, item } = await reportedItem(store, "graphs");
      const decided = await store.decide(item.id, { applies: true, reviewer: "rita" });
      // A new report of the tag asks again while the first is decided.
      await store.recordFeedback([report(unique("s"), "graphs", content.id)]);
      const twin = (await queued(store, content.id)).find((i) => i.decidedAt === null);
      if (!twin) throw new Error("the second report was not queued");
      const refused = await rejection(
        store.undoDecision(item.id, { reviewer: "rita", decidedAt: decided.decidedAt as string }),
      );
      expect(refused.code).toBe("undo_refused");
      expect(refused.message).toContain(`item ${twin.id} (report) asks it again and is pending`);
      expect((await queued(store, content.id)).map((i) => i.decidedAt)).toEqual([
        decided.decidedAt,
        null,
      ]);
    });

    it("lets exactly one of two undos of a decision at once win", async () => {
      const store = stores.conflicts;
      const { content, item } = await reportedItem(store, "mlops");
      const { decidedAt } = await store.decide(item.id, { applies: true, reviewer: "ann" });
      const undo = { reviewer: "ann", decidedAt: decidedAt as string };
      const results = await Promise.allSettled([
        store.undoDecision(item.id, undo),
        store.undoDecision(item.id, undo),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
      const lost = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(lost.reason.code).toBe("undo_refused");
      expect((await queued(store, content.id))[0]?.decidedAt).toBeNull();
    });

    it("pages the queue with its total", async () => {
      const store = stores.conflicts;
      const { total } = await store.reviewQueue({ limit: 0 });
      const page = await store.reviewQueue({ limit: 2, offset: 1 });
      expect(page.total).toBe(total);
      expect(page.items.length).toBe(Math.min(2, Math.max(0, total - 1)));
      const ids = (await store.reviewQueue({ limit: 100_000 })).items.map((i) => i.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    });
  });

  describe(`taxonomy candidates (${engine})`, () => {
    it("ranks unapproved tags by uses, then distinct authors, with spellings and three examples", async () => {
      const store = stores.conflicts;
      const u = unique("t").toLowerCase();
      const save = (title: string, author: string, unapprovedTags: string[]) =>
        store.create(draft({ title, author, unapprovedTags }));
      await save("a1", "ann", [`${u}-alpha`]);
      await save("a2", "ann", [`${u}-alpha`]);
      await save("a3", "ann", [`${u}_Alpha`]);
      await save("a4", "ann", [`${u} alpha `, `${u}-gamma`]);
      await save("b1", "ann", [`${u}-beta`]);
      await save("b2", "bob", [`${u}-beta`]);
      await save("g1", "ann", [`${u}-gamma`]);
      const mine = (await store.taxonomyCandidates({ limit: 100_000 })).filter((c) =>
        c.tag.startsWith(u),
      );
      expect(mine.map((c) => [c.tag, c.uses, c.authors])).toEqual([
        [`${u}-alpha`, 4, 1],
        [`${u}-beta`, 2, 2],
        [`${u}-gamma`, 2, 1],
      ]);
      expect(mine[0]?.spellings.sort()).toEqual([`${u} alpha `, `${u}-alpha`, `${u}_Alpha`].sort());
      expect(mine[0]?.examples.map((e) => e.title)).toEqual(["a4", "a3", "a2"]);
      expect(mine[0]?.proposal).toBeNull();
    });

    it("folds spellings by the approved list's tag key, Unicode forms included", async () => {
      const store = stores.conflicts;
      const u = unique("t").toLowerCase();
      // Full-width letters are "delta" after NFKC, as the taxonomy's lookup and the browser fold them.
      await store.create(draft({ unapprovedTags: [`${u}-\uff24\uff25\uff2c\uff34\uff21`] }));
      await store.create(draft({ unapprovedTags: [`${u} Delta`] }));
      await store.create(draft({ unapprovedTags: [`${u}delta`] }));
      const mine = (await store.taxonomyCandidates({ limit: 100_000 })).filter((c) =>
        c.tag.startsWith(u),
      );
      // Without the separator it is another tag, to the approved list's lookup as well.
      expect(mine.map((c) => [c.tag, c.uses])).toEqual([
        [`${u}-delta`, 2],
        [`${u}delta`, 1],
      ]);
      const change = await store.proposeTaxonomyChange(`${u}_\uff24elta`, {
        action: "approve",
        aliasOf: null,
        category: null,
        parents: [],
        proposer: "cara",
      });
      expect(change.candidate).toBe(`${u}-delta`);
    });

    it("keeps one proposal per candidate, refusing a second even when two come at once", async () => {
      const store = stores.conflicts;
      const u = unique("t").toLowerCase();
      await store.create(draft({ unapprovedTags: [`${u} Thing`] }));
      await store.create(draft({ unapprovedTags: [`${u}-other`] }));
      const proposal = {
        action: "alias" as const,
        aliasOf: "transformers",
        category: null,
        parents: [],
        proposer: "cara",
      };
      const results = await Promise.allSettled([
        store.proposeTaxonomyChange(`${u}-thing`, proposal),
        store.proposeTaxonomyChange(`${u}_THING`, { ...proposal, proposer: "dan" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason.code).toBe("already_proposed");
      const again = await rejection(store.proposeTaxonomyChange(`${u} thing`, proposal));
      expect(again.code).toBe("already_proposed");
      expect((await rejection(store.proposeTaxonomyChange(`${u}-nobody`, proposal))).code).toBe(
        "not_found",
      );

      const approved = await store.proposeTaxonomyChange(`${u}-other`, {
        action: "approve",
        aliasOf: null,
        category: "methods",
        parents: ["transformers"],
        proposer: "cara",
      });
      expect(approved).toMatchObject({
        candidate: `${u}-other`,
        action: "approve",
        category: "methods",
        parents: ["transformers"],
        status: "pending",
      });
      const changes = (await store.taxonomyChanges()).filter((c) => c.candidate.startsWith(u));
      expect(changes.map((c) => [c.candidate, c.action, c.aliasOf])).toEqual([
        [`${u}-thing`, "alias", "transformers"],
        [`${u}-other`, "approve", null],
      ]);
      const candidates = await store.taxonomyCandidates({ limit: 100_000 });
      expect(candidates.find((c) => c.tag === `${u}-thing`)?.proposal).toMatchObject({
        action: "alias",
        aliasOf: "transformers",
      });
    });
  });
}
