// Online metrics on both engines: a few hundred seeded random events stored through the store's API, every metric
// and grouping compared with an independent computation over the same generated events (never read back from the
// database), and small cases worked out by hand.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../../src/data/index.js";
import { TagsmithError } from "../../src/errors.js";
import { type Database, openDatabase } from "../../src/store/database.js";
import {
  ContentStore,
  type FeedbackEvent,
  type OnlineMetrics,
  type OnlineMetricsGrouping,
  type OnlineMetricsQuery,
  type OnlineMetricsRow,
  type StoreOptions,
} from "../../src/store/index.js";
import { migrate } from "../../src/store/migrations.js";
import { hasPostgres, usePostgres } from "../support/postgres.js";
import { embeddedStore } from "../support/store-image.js";
import { draft } from "./store.case.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface ShownEvent {
  key: string;
  session: string | null;
  model: string | null;
  tags: string[];
  latencyMs: number | null;
  /** The tags already chosen when shown (null: an older client that does not say). */
  chosen: string[] | null;
  at: number;
  /** When the client says it was shown (absent: it does not say, as older clients). */
  occurredAt?: number;
}

/** What happened in one editing session, in the order it is stored. */
interface Session {
  id: string | null;
  shown: ShownEvent[];
  accepted: string[];
  reported: string[];
  /** Each save's final tags, oldest first: the first creates the content, the others update it. */
  saves: string[][];
  /**
   * The order the shown events reached the store when it is not the order shown (batches retried after an outage);
   * the events then carry the client's time, which the store orders them by.
   */
  stored?: ShownEvent[];
}

/** Opens an empty database of the engine and the store over it; the database is kept to set event times. */
type Open = () => Promise<{ db: Database; store: ContentStore }>;

async function openWith(options: StoreOptions): Promise<{ db: Database; store: ContentStore }> {
  const db = await openDatabase(options);
  await migrate(db);
  return { db, store: new ContentStore(db) };
}

let keys = 0;
const key = (prefix: string) => `${prefix}-${++keys}`;

/** Stores the sessions through the store's API, then dates each shown event `at`. */
async function record(db: Database, store: ContentStore, sessions: Session[]): Promise<void> {
  for (const s of sessions) {
    // One call per shown event: "latest" means last stored, so their order must be the generated order.
    for (const e of s.stored ?? s.shown) await store.recordFeedback([toShown(e)]);
    await store.recordFeedback([
      ...s.accepted.map((tag): FeedbackEvent => clientEvent(s.id, { type: "accepted", tag })),
      ...s.reported.map(
        (tag): FeedbackEvent =>
          clientEvent(s.id, { type: "reported", tag, reason: "not_relevant", comment: null }),
      ),
    ]);
    let id: number | null = null;
    for (const tags of s.saves) {
      const d = draft({ session: s.id, tags });
      id = id === null ? (await store.create(d)).id : (await store.update(id, d)).id;
    }
  }
  // The store stamps events with the time they arrive; the metrics need events spread over days, so the test
  // sets created_at itself (the one place SQL is written outside src/store).
  const times = sessions.flatMap((s) =>
    s.shown.map((e) => ({ key: e.key, at: new Date(e.at).toISOString() })),
  );
  await db.query(
    `UPDATE feedback_events f SET created_at = t.at
     FROM jsonb_to_recordset($1::text::jsonb) AS t(key text, at timestamptz) WHERE f.key = t.key`,
    [JSON.stringify(times)],
  );
}

function toShown(e: ShownEvent): FeedbackEvent {
  return {
    type: "shown",
    key: e.key,
    session: e.session,
    contentId: null,
    requestId: key("req"),
    modelId: e.model,
    modelVersion: e.model === null ? null : "2024-01-01T00:00:00.000Z",
    suggestions: e.tags.map((tag, i) => ({ tag, score: 1 / (i + 2), source: "implicit" })),
    latencyMs: e.latencyMs,
    chosen: e.chosen,
    ...(e.occurredAt === undefined ? {} : { occurredAt: new Date(e.occurredAt).toISOString() }),
  };
}

function clientEvent(
  session: string | null,
  event:
    | { type: "accepted"; tag: string }
    | { type: "reported"; tag: string; reason: "not_relevant"; comment: null },
): FeedbackEvent {
  return {
    key: key(event.type),
    session,
    contentId: null,
    requestId: null,
    modelId: null,
    modelVersion: null,
    ...event,
  };
}

// ---- the generated events -----------------------------------------------------------------------------------

const TAGS = ["pytorch", "nlp", "cv", "transformers", "rl", "graphs", "audio", "tabular"];
const MODELS = ["m-alpha", "m-beta", "m-gamma"];
/** Friday 1 March 2024: the days run over four weeks. */
const START = Date.UTC(2024, 2, 1);

function generate(seed: number): Session[] {
  const random = seededRandom(seed);
  const chance = (p: number) => random() < p;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const some = (list: readonly string[], p: number) => list.filter(() => chance(p));
  const sessions: Session[] = [];

  for (let n = 0; n < 70; n++) {
    const id = `g-${seed}-${n}`;
    let at = START + Math.floor(random() * 24 * DAY);
    // Mostly one model per session; sometimes none named, sometimes a new one deployed mid-session.
    let model: string | null = chance(0.05) ? null : pick(MODELS);
    const shown: ShownEvent[] = [];
    // Tags the author chose before the first suggestions came (editing saved content: all of them); then more.
    let chosen: string[] | null = chance(0.2) ? null : some(TAGS, 0.15);
    const polls = 1 + Math.floor(random() * 4);
    for (let p = 0; p < polls; p++) {
      if (chance(0.15)) model = chance(0.3) ? null : pick(MODELS);
      // Re-polls repeat tags; now and then an empty list, or a tag twice in one list.
      const tags = chance(0.05) ? [] : some(TAGS, 0.35);
      if (tags.length > 0 && chance(0.05)) tags.push(tags[0] as string);
      const latencyMs = chance(0.1) ? null : Math.round(random() * 30_000) / 100;
      shown.push({ key: key("shown"), session: id, model, tags, latencyMs, chosen, at });
      chosen = chance(0.2) ? null : [...(chosen ?? []), ...some(TAGS, 0.15)];
      // Strictly later: two events of a session at the same client time would have no order but their arrival.
      at += 1 + Math.floor(random() * 8 * HOUR);
    }
    const seen = [...new Set(shown.flatMap((e) => e.tags))];
    const unseen = TAGS.filter((t) => !seen.includes(t));
    const accepted = some(seen, 0.35);
    if (accepted.length > 0 && chance(0.2)) accepted.push(accepted[0] as string);
    if (unseen.length > 0 && chance(0.2)) accepted.push(pick(unseen));
    const reported = some(seen, 0.12);
    if (unseen.length > 0 && chance(0.05)) reported.push(pick(unseen));
    const saves: string[][] = [];
    if (chance(0.75)) {
      const finalTags = () => {
        const tags = some(seen, 0.5);
        if (unseen.length > 0 && chance(0.4)) tags.push(pick(unseen));
        if (tags.length > 0 && chance(0.05)) tags.push(tags[0] as string);
        return tags;
      };
      saves.push(finalTags());
      if (chance(0.25)) saves.push(finalTags());
    }
    // Now and then the client says when each was shown and its batches arrive out of order.
    if (shown.length > 1 && chance(0.3)) {
      for (const e of shown) e.occurredAt = e.at;
      const stored = [...shown];
      for (let i = stored.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [stored[i], stored[j]] = [stored[j] as ShownEvent, stored[i] as ShownEvent];
      }
      sessions.push({ id, shown, accepted, reported, saves, stored });
    } else sessions.push({ id, shown, accepted, reported, saves });
  }
  // Shown without a session (latency only); acceptances and saves of sessions never shown anything; saves
  // without a session. None of these is a suggestion shown or a saved item.
  for (let n = 0; n < 10; n++) {
    const at = START + Math.floor(random() * 24 * DAY);
    const event = {
      key: key("shown"),
      session: null,
      model: pick(MODELS),
      tags: some(TAGS, 0.4),
      latencyMs: Math.round(random() * 30_000) / 100,
      chosen: null,
      at,
    };
    sessions.push({ id: null, shown: [event], accepted: [], reported: [], saves: [] });
  }
  for (let n = 0; n < 5; n++) {
    const id = `unshown-${seed}-${n}`;
    sessions.push({
      id,
      shown: [],
      accepted: [pick(TAGS)],
      reported: [],
      saves: [some(TAGS, 0.5)],
    });
    sessions.push({ id: null, shown: [], accepted: [], reported: [], saves: [some(TAGS, 0.5)] });
  }
  return sessions;
}

// ---- the independent computation ----------------------------------------------------------------------------

interface Tally {
  shown: number;
  accepted: number;
  reported: number;
  shownSaved: number;
  kept: number;
  finalTags: number;
  finalSuggested: number;
  savedItems: Set<string>;
  latencies: number[];
}

/** percentile_cont: linear interpolation between the closest ranks. */
function percentileCont(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const a = sorted[low] as number;
  return a + ((sorted[high] as number) - a) * (position - low);
}

function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

function weekOf(at: number): string {
  const sinceMonday = (new Date(at).getUTCDay() + 6) % 7;
  return dayOf(Math.floor(at / DAY) * DAY - sinceMonday * DAY);
}

function expectedMetrics(sessions: Session[], query: OnlineMetricsQuery): OnlineMetrics {
  const from = query.from ? Date.parse(`${query.from}T00:00:00Z`) : -Infinity;
  const to = query.to ? Date.parse(`${query.to}T00:00:00Z`) + DAY : Infinity;
  const keep = (model: string | null, at: number) =>
    at >= from && at < to && (query.model === undefined || model === query.model);
  const groupOf = (tag: string | null, model: string | null, at: number): string | null => {
    switch (query.by) {
      case "model":
        return model;
      case "tag":
        return tag;
      case "day":
        return dayOf(at);
      case "week":
        return weekOf(at);
      default:
        return "all";
    }
  };
  const overall = emptyTally();
  const groups = new Map<string | null, Tally>();
  const tallies = (group: string | null) => {
    if (!query.by) return [overall];
    const tally = groups.get(group) ?? emptyTally();
    groups.set(group, tally);
    return [overall, tally];
  };

  for (const s of sessions) {
    for (const e of s.shown) {
      if (e.latencyMs === null || !keep(e.model, e.at)) continue;
      overall.latencies.push(e.latencyMs);
      if (query.by === "tag")
        for (const tag of new Set(e.tags)) tallies(tag)[1]?.latencies.push(e.latencyMs);
      else if (query.by) tallies(groupOf(null, e.model, e.at))[1]?.latencies.push(e.latencyMs);
    }
    if (s.id === null || s.shown.length === 0) continue;
    const session = s.id;
    // Each tag shown: the model of the last event showing it, the time of the first.
    const shown = new Map<string, { model: string | null; at: number }>();
    for (const e of s.shown)
      for (const tag of e.tags)
        shown.set(tag, { model: e.model, at: Math.min(e.at, shown.get(tag)?.at ?? Infinity) });
    const last = s.saves.at(-1);
    const final = last ? new Set(last) : null;
    for (const [tag, { model, at }] of shown) {
      if (!keep(model, at)) continue;
      for (const t of tallies(groupOf(tag, model, at))) {
        t.shown += 1;
        if (s.accepted.includes(tag)) t.accepted += 1;
        if (s.reported.includes(tag)) t.reported += 1;
        if (final) {
          t.shownSaved += 1;
          if (final.has(tag)) t.kept += 1;
          t.savedItems.add(session);
        }
      }
    }
    if (!final) continue;
    const sessionModel = (s.shown.at(-1) as ShownEvent).model;
    const sessionStart = Math.min(...s.shown.map((e) => e.at));
    const prechosen = new Set((s.shown[0] as ShownEvent).chosen ?? []);
    for (const tag of final) {
      if (prechosen.has(tag)) continue;
      const pair = shown.get(tag);
      const model = pair ? pair.model : sessionModel;
      const at = pair ? pair.at : sessionStart;
      if (!keep(model, at)) continue;
      for (const t of tallies(groupOf(tag, model, at))) {
        t.finalTags += 1;
        if (pair) t.finalSuggested += 1;
        t.savedItems.add(session);
      }
    }
  }
  return {
    overall: toRow("all", overall),
    groups: [...groups].map(([group, tally]) => toRow(group, tally)),
  };
}

function emptyTally(): Tally {
  return {
    shown: 0,
    accepted: 0,
    reported: 0,
    shownSaved: 0,
    kept: 0,
    finalTags: 0,
    finalSuggested: 0,
    savedItems: new Set(),
    latencies: [],
  };
}

function toRow(key: string | null, t: Tally): OnlineMetricsRow {
  const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
  return {
    key,
    shown: t.shown,
    accepted: t.accepted,
    reported: t.reported,
    acceptanceRate: ratio(t.accepted, t.shown),
    reportsPer1000: ratio(1000 * t.reported, t.shown),
    savedItems: t.savedItems.size,
    proxyRecall: ratio(t.finalSuggested, t.finalTags),
    proxyPrecision: ratio(t.kept, t.shownSaved),
    latencyMs: {
      p50: percentileCont(t.latencies, 0.5),
      p95: percentileCont(t.latencies, 0.95),
      n: t.latencies.length,
    },
  };
}

function expectSameRow(actual: OnlineMetricsRow, expected: OnlineMetricsRow): void {
  const close = (a: number | null, b: number | null, what: string) => {
    if (b === null) expect(a, `${expected.key}: ${what}`).toBeNull();
    else expect(a, `${expected.key}: ${what}`).toBeCloseTo(b, 9);
  };
  const { acceptanceRate, reportsPer1000, proxyRecall, proxyPrecision, latencyMs, ...counts } =
    expected;
  expect(actual).toMatchObject(counts);
  expect(actual.latencyMs.n).toBe(latencyMs.n);
  close(actual.acceptanceRate, acceptanceRate, "acceptance_rate");
  close(actual.reportsPer1000, reportsPer1000, "reports_per_1000");
  close(actual.proxyRecall, proxyRecall, "proxy_recall");
  close(actual.proxyPrecision, proxyPrecision, "proxy_precision");
  close(actual.latencyMs.p50, latencyMs.p50, "p50");
  close(actual.latencyMs.p95, latencyMs.p95, "p95");
}

function expectSameMetrics(actual: OnlineMetrics, expected: OnlineMetrics): void {
  expectSameRow(actual.overall, expected.overall);
  // A group only latency reached (an event's tags, none of them shown in range) still has shown events: keep it.
  expect(actual.groups.map((g) => g.key).sort()).toEqual(expected.groups.map((g) => g.key).sort());
  for (const group of expected.groups)
    expectSameRow(actual.groups.find((g) => g.key === group.key) as OnlineMetricsRow, group);
}

// ---- the cases ------------------------------------------------------------------------------------------------

const GROUPINGS: (OnlineMetricsGrouping | undefined)[] = [undefined, "model", "tag", "day", "week"];
const FILTERS: Omit<OnlineMetricsQuery, "by">[] = [
  {},
  { from: "2024-03-06", to: "2024-03-14" },
  { from: "2024-03-11" },
  { to: "2024-03-04" },
  { model: "m-beta" },
  { model: "m-alpha", from: "2024-03-09" },
  { model: "no-such-model" },
  { from: "2030-01-01" },
];

function onlineMetricsCases(engine: string, open: Open): void {
  describe(`online metrics against an independent computation (${engine})`, () => {
    const sessions = generate(20_240_301);
    let opened: Awaited<ReturnType<Open>>;
    beforeAll(async () => {
      opened = await open();
      await record(opened.db, opened.store, sessions);
    }, 60_000);
    afterAll(() => opened?.store.close());

    it("generated enough of everything to mean something", () => {
      const all = expectedMetrics(sessions, {});
      expect(all.overall.shown).toBeGreaterThan(150);
      expect(all.overall.accepted).toBeGreaterThan(30);
      expect(all.overall.reported).toBeGreaterThan(5);
      expect(all.overall.savedItems).toBeGreaterThan(30);
      expect(all.overall.latencyMs.n).toBeGreaterThan(100);
      const byModel = expectedMetrics(sessions, { by: "model" });
      expect(byModel.groups.map((g) => g.key)).toContain(null);
      expect(expectedMetrics(sessions, { by: "week" }).groups.length).toBeGreaterThanOrEqual(4);
    });

    for (const by of GROUPINGS)
      for (const filter of FILTERS) {
        const query = { ...(by ? { by } : {}), ...filter };
        it(`matches for ${JSON.stringify(query)}`, async () => {
          const actual = await opened.store.onlineMetrics(query);
          expectSameMetrics(actual, expectedMetrics(sessions, query));
          if (by === undefined) expect(actual.groups).toEqual([]);
        });
      }

    it("lists days and weeks oldest first, models and tags most shown first", async () => {
      for (const by of ["day", "week"] as const) {
        const keys = (await opened.store.onlineMetrics({ by })).groups.map((g) => g.key as string);
        expect(keys).toEqual([...keys].sort());
      }
      for (const by of ["model", "tag"] as const) {
        const shown = (await opened.store.onlineMetrics({ by })).groups.map((g) => g.shown);
        expect(shown).toEqual([...shown].sort((a, b) => b - a));
      }
    });

    it("adds the groups up to the overall row", async () => {
      for (const by of ["model", "tag", "day", "week"] as const) {
        const { overall, groups } = await opened.store.onlineMetrics({ by });
        const sum = (pick: (row: OnlineMetricsRow) => number) =>
          groups.reduce((total, row) => total + pick(row), 0);
        expect(sum((g) => g.shown)).toBe(overall.shown);
        expect(sum((g) => g.accepted)).toBe(overall.accepted);
        expect(sum((g) => g.reported)).toBe(overall.reported);
        if (by !== "tag") expect(sum((g) => g.latencyMs.n)).toBe(overall.latencyMs.n);
      }
    });
  });

  describe(`online metrics worked out by hand (${engine})`, () => {
    let opened: Awaited<ReturnType<Open>>;
    beforeAll(async () => {
      opened = await open();
    }, 60_000);
    afterAll(() => opened?.store.close());
    /** Each case on a day of its own, far from the others. */
    let day = Date.UTC(2001, 0, 1);
    const nextDay = () => {
      day += 10 * DAY;
      return { at: day, query: { from: dayOf(day), to: dayOf(day) } };
    };
    const shownAt = (
      session: string,
      model: string | null,
      tags: string[],
      at: number,
      latencyMs: number | null = null,
      chosen: string[] | null = null,
    ): ShownEvent => ({ key: key("shown"), session, model, tags, latencyMs, chosen, at });

    it("leaves out of proxy recall the final tags chosen before the first suggestions came", async () => {
      const { at, query } = nextDay();
      const id = key("s");
      await record(opened.db, opened.store, [
        {
          id,
          // Editing: p and q were chosen when the first suggestions came; r was chosen between polls.
          shown: [
            shownAt(id, "m1", ["a", "b"], at, null, ["p", "q"]),
            shownAt(id, "m1", ["b"], at + HOUR, null, ["p", "q", "r", "a"]),
          ],
          accepted: ["a"],
          reported: [],
          saves: [["p", "q", "r", "a"]],
        },
      ]);
      const { overall } = await opened.store.onlineMetrics(query);
      // Final {p, q, r, a}: p and q were never the model's to suggest; of r and a, a was shown.
      expect(overall).toMatchObject({ savedItems: 1, proxyRecall: 0.5, proxyPrecision: 0.5 });
    });

    it("counts a tag shown again on a re-poll once: 4 shown, 1 accepted is 0.25", async () => {
      const { at, query } = nextDay();
      const session: Session = {
        id: key("s"),
        shown: [],
        // Accepted twice, and one acceptance of a tag never shown: still 1 of 4.
        accepted: ["a", "a", "e"],
        reported: ["b"],
        saves: [["a", "x"]],
      };
      session.shown = [
        shownAt(session.id as string, "m1", ["a", "b", "c", "d"], at, 10),
        shownAt(session.id as string, "m1", ["a", "b"], at + HOUR, 20),
      ];
      await record(opened.db, opened.store, [session]);
      const { overall } = await opened.store.onlineMetrics(query);
      expect(overall).toEqual({
        key: "all",
        shown: 4,
        accepted: 1,
        reported: 1,
        acceptanceRate: 0.25,
        reportsPer1000: 250,
        savedItems: 1,
        // final {a, x}: a was shown, x was not; of the 4 shown only a was kept.
        proxyRecall: 0.5,
        proxyPrecision: 0.25,
        latencyMs: { p50: 15, p95: 19.5, n: 2 },
      });
    });

    // Stored in the order shown, or m1's event retried after an outage and stored after m2's later one: the client's
    // time (occurred_at) orders them the same.
    it.each([
      ["stored in the order shown", false],
      ["the earlier event stored last, with the client's times", true],
    ])(
      "gives a tag shown by two models to the later one, and a final tag never shown to the session's last model (%s)",
      async (_, retried) => {
        const { at, query } = nextDay();
        const id = key("s");
        const first = shownAt(id, "m1", ["a", "b"], at, 5);
        const second = shownAt(id, "m2", ["b"], at + HOUR, 7);
        await record(opened.db, opened.store, [
          {
            id,
            shown: retried
              ? [
                  { ...second, occurredAt: second.at },
                  { ...first, occurredAt: first.at },
                ]
              : [first, second],
            accepted: ["a", "b"],
            reported: [],
            saves: [["b", "z"]],
          },
        ]);
        const { groups } = await opened.store.onlineMetrics({ ...query, by: "model" });
        expect(
          groups.map((g) => [g.key, g.shown, g.accepted, g.proxyRecall, g.proxyPrecision]),
        ).toEqual([
          ["m1", 1, 1, null, 0],
          // m2: b shown and kept; z (never shown) counts against m2's recall.
          ["m2", 1, 1, 0.5, 1],
        ]);
        expect(groups.map((g) => g.latencyMs)).toEqual([
          { p50: 5, p95: 5, n: 1 },
          { p50: 7, p95: 7, n: 1 },
        ]);
        const m1 = await opened.store.onlineMetrics({ ...query, model: "m1" });
        expect(m1.overall).toMatchObject({ shown: 1, savedItems: 1, proxyRecall: null });
      },
    );

    it("keeps a final tag shown by events that named no model with that suggestion", async () => {
      const { at, query } = nextDay();
      const id = key("s");
      await record(opened.db, opened.store, [
        {
          id,
          shown: [shownAt(id, null, ["c"], at), shownAt(id, "m1", ["a"], at + HOUR)],
          accepted: [],
          reported: [],
          saves: [["c"]],
        },
      ]);
      const { groups } = await opened.store.onlineMetrics({ ...query, by: "model" });
      expect(groups.map((g) => [g.key, g.shown, g.proxyRecall, g.proxyPrecision])).toEqual([
        ["m1", 1, null, 0],
        [null, 1, 1, 1],
      ]);
    });

    it("reads the latest save of a session, and by tag, recall per final tag and precision per shown tag", async () => {
      const { at, query } = nextDay();
      const id = key("s");
      await record(opened.db, opened.store, [
        {
          id,
          shown: [shownAt(id, "m1", ["a", "b", "c"], at)],
          accepted: [],
          reported: [],
          saves: [
            ["a", "b", "c"],
            ["a", "y"],
          ],
        },
      ]);
      const { overall, groups } = await opened.store.onlineMetrics({ ...query, by: "tag" });
      expect(overall).toMatchObject({ savedItems: 1, proxyRecall: 0.5, proxyPrecision: 1 / 3 });
      expect(groups.map((g) => [g.key, g.shown, g.proxyRecall, g.proxyPrecision])).toEqual([
        ["a", 1, 1, 1],
        ["b", 1, null, 0],
        ["c", 1, null, 0],
        ["y", 0, 0, null],
      ]);
    });

    it("answers zeros and nulls where nothing was shown", async () => {
      const { query } = nextDay();
      const { overall, groups } = await opened.store.onlineMetrics({ ...query, by: "day" });
      expect(groups).toEqual([]);
      expect(overall).toEqual({
        key: "all",
        shown: 0,
        accepted: 0,
        reported: 0,
        acceptanceRate: null,
        reportsPer1000: null,
        savedItems: 0,
        proxyRecall: null,
        proxyPrecision: null,
        latencyMs: { p50: null, p95: null, n: 0 },
      });
    });

    it("puts a suggestion on the UTC day and the Monday-based week it was first shown", async () => {
      // Sunday 23:30 UTC, shown again Monday: Sunday's day and the week before.
      const sunday = Date.UTC(2002, 5, 2, 23, 30);
      const id = key("s");
      await record(opened.db, opened.store, [
        {
          id,
          shown: [shownAt(id, "m1", ["a"], sunday), shownAt(id, "m1", ["a", "b"], sunday + HOUR)],
          accepted: [],
          reported: [],
          saves: [],
        },
      ]);
      const range = { from: "2002-06-01", to: "2002-06-04" };
      const days = await opened.store.onlineMetrics({ ...range, by: "day" });
      expect(days.groups.map((g) => [g.key, g.shown])).toEqual([
        ["2002-06-02", 1],
        ["2002-06-03", 1],
      ]);
      const weeks = await opened.store.onlineMetrics({ ...range, by: "week" });
      expect(weeks.groups.map((g) => [g.key, g.shown])).toEqual([
        ["2002-05-27", 1],
        ["2002-06-03", 1],
      ]);
      // to is the last day included.
      const sundayOnly = await opened.store.onlineMetrics({ from: "2002-06-02", to: "2002-06-02" });
      expect(sundayOnly.overall.shown).toBe(1);
    });

    it("tells an id some event names from one none names, but cannot tell unused from mistyped", async () => {
      const { at } = nextDay();
      const id = key("s");
      await record(opened.db, opened.store, [
        { id, shown: [shownAt(id, "m-used", ["a"], at)], accepted: [], reported: [], saves: [] },
      ]);
      expect(await opened.store.modelHasEvents("m-used")).toBe(true);
      // Events outside a period still count: the id is known to the store, the period is simply empty.
      expect(
        (await opened.store.onlineMetrics({ model: "m-used", from: "2030-01-01" })).overall.shown,
      ).toBe(0);
      expect(await opened.store.modelHasEvents("m-nope")).toBe(false);
      expect(await opened.store.modelHasEvents("")).toBe(false);
    });

    it("refuses a day that is not YYYY-MM-DD, a range backwards and an unknown grouping", async () => {
      for (const query of [
        { from: "2024-02-30" },
        { to: "yesterday" },
        { from: "2024-03-02", to: "2024-03-01" },
        { by: "hour" as OnlineMetricsGrouping },
      ]) {
        const error = await opened.store.onlineMetrics(query).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(TagsmithError);
        expect((error as TagsmithError).code).toBe("usage");
      }
    });
  });
}

onlineMetricsCases("embedded", () => openWith(embeddedStore()));

describe.skipIf(!hasPostgres)("on PostgreSQL", () => {
  const postgres = usePostgres();
  onlineMetricsCases("postgres", async () =>
    openWith({ databaseUrl: await postgres.createDatabase() }),
  );
});
