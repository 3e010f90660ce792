// The undo window on both engines: a decision older than UNDO_WINDOW_MINUTES stands. The decision is aged in the
// database itself (the store stamps decisions with the database's clock), with the store closed for the embedded
// engine, whose data directory one process opens at a time.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/database.js";
import {
  openStore,
  type ReviewItem,
  type StoreOptions,
  UNDO_WINDOW_MINUTES,
} from "../../src/store/index.js";
import { hasPostgres, usePostgres } from "../support/postgres.js";
import { embeddedStore } from "../support/store-image.js";
import { draft, rejection, unique } from "./store.case.js";

function undoWindowCases(engine: string, options: () => StoreOptions): void {
  it(`refuses to undo a decision over ${UNDO_WINDOW_MINUTES} minutes old, saying it stands (${engine})`, async () => {
    const window = UNDO_WINDOW_MINUTES;
    let store = await openStore(options());
    try {
      const content = await store.create(draft());
      const session = unique("s");
      await store.recordFeedback(
        ["graphs", "mlops"].map((tag) => ({
          type: "reported" as const,
          key: unique("reported"),
          session,
          contentId: content.id,
          requestId: null,
          modelId: "ensemble",
          modelVersion: "v1",
          tag,
          reason: "wrong" as const,
          comment: null,
        })),
      );
      const items = (await store.reviewQueue({ limit: 100_000 })).items.filter(
        (i) => i.contentId === content.id,
      );
      expect(items.map((i) => i.tag)).toEqual(["graphs", "mlops"]);
      for (const item of items) await store.decide(item.id, { applies: true, reviewer: "rita" });

      // One decision a minute inside the window, the other a minute past it.
      await store.close();
      const db = await openDatabase(options());
      const decidedAt: string[] = [];
      for (const [item, minutes] of [
        [items[0], window - 1],
        [items[1], window + 1],
      ] as const) {
        const [row] = await db.query<{ decided_at: string }>(
          `UPDATE review_items SET decided_at = decided_at - make_interval(mins => $2::integer) WHERE id = $1
           RETURNING to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS decided_at`,
          [item?.id, minutes],
        );
        decidedAt.push(row?.decided_at as string);
      }
      await db.close();
      store = await openStore(options());

      const [recent, old] = items as [ReviewItem, ReviewItem];
      await store.undoDecision(recent.id, { reviewer: "rita", decidedAt: decidedAt[0] as string });
      const refused = await rejection(
        store.undoDecision(old.id, { reviewer: "rita", decidedAt: decidedAt[1] as string }),
      );
      expect([refused.code, refused.details.field]).toEqual(["undo_refused", "id"]);
      expect(refused.message).toContain(
        `was decided at ${decidedAt[1]}, more than ${window} minutes ago`,
      );
      expect(refused.message).toContain("it stands until a later decision");
      expect(
        (await store.qaLabels()).filter((l) => l.itemId === recent.id || l.itemId === old.id),
      ).toEqual([expect.objectContaining({ itemId: old.id, decidedAt: decidedAt[1] })]);
    } finally {
      await store.close();
    }
  });
}

const dir = await mkdtemp(join(tmpdir(), "tagsmith-undo-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the undo window", () => {
  undoWindowCases("embedded", () => embeddedStore({ dir }));
});

describe.skipIf(!hasPostgres)("the undo window on PostgreSQL", () => {
  const postgres = usePostgres();
  undoWindowCases("postgres", () => ({ databaseUrl: postgres.url() }));
});
