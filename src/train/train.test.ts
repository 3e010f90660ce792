// The training procedure on small items written here: progress stages told apart by step, and the minimum-data
// check worded by how the held-out part was chosen.

import { describe, expect, it } from "vitest";
import type { ContentItem } from "../data/index.js";
import { TagsmithError } from "../errors.js";
import {
  TAGGER_KINDS,
  type TaggerKind,
  type TrainContext,
  type TrainingItem,
} from "../taggers/index.js";
import { Taxonomy } from "../taxonomy/index.js";
import { assertEnoughLabeled, holdOut, MIN_LABELED, trainTagger, tuneAndRefit } from "./train.js";

const taxonomy = Taxonomy.fromLabels(["pytorch", "computer-vision"]);
const item = (i: number): TrainingItem => ({
  title: `item ${i}`,
  description: "",
  gold: ["pytorch"],
});

/** A tagger that reports one progress stage, under the same name, every time it trains or tunes. */
const reporting: TaggerKind = {
  name: "reporting",
  summary: "reports progress",
  train: async (items, context) => {
    context.progress?.("linear: one-vs-rest", items.length, items.length);
    return null;
  },
  tune: async (_, heldOut, context) => {
    context.progress?.("thresholds", heldOut.length, heldOut.length);
    return null;
  },
  create: () => {
    throw new Error("not used");
  },
};

describe("tuneAndRefit", () => {
  it("names the fit's and the refit's progress stages apart, so a progress bar starts again", async () => {
    const seen: [string, number, number][] = [];
    const context: TrainContext = {
      taxonomy,
      seed: 1,
      workers: 1,
      progress: (stage, done, total) => seen.push([stage, done, total]),
    };
    await tuneAndRefit(reporting, [item(1), item(2), item(3)], [item(4)], context);
    expect(seen).toEqual([
      ["fit: linear: one-vs-rest", 3, 3],
      ["tune: thresholds", 1, 1],
      ["refit: linear: one-vs-rest", 4, 4],
    ]);
  });

  it("trains without a progress callback", async () => {
    await expect(
      tuneAndRefit(reporting, [item(1)], [item(2)], { taxonomy, seed: 1, workers: 1 }),
    ).resolves.toMatchObject({ tuning: null });
  });
});

describe("assertEnoughLabeled", () => {
  it("passes parts with enough labeled items, and names every part's count when one has too few", () => {
    expect(() =>
      assertEnoughLabeled(
        [
          { name: "a", items: MIN_LABELED },
          { name: "b", items: 9 },
        ],
        20,
      ),
    ).not.toThrow();
    let error: unknown;
    try {
      assertEnoughLabeled(
        [
          { name: "the first part", items: 4 },
          { name: "the second", items: 1 },
        ],
        6,
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TagsmithError);
    expect((error as TagsmithError).code).toBe("invalid_input");
    expect((error as TagsmithError).message).toBe(
      "too little labeled data: 5 of 6 items have an approved tag, 4 in the first part, 1 in the second; " +
        "each part needs at least 2: add labeled items, or check that the data's tags are on the approved list " +
        "(tagsmith data validate)",
    );
  });
});

describe("trainTagger with too little labeled data", () => {
  const content = (dated: boolean): ContentItem[] =>
    Array.from({ length: 6 }, (_, i) => ({
      id: String(i),
      createdOn: dated ? `2021-01-0${i + 1}T00:00:00.000Z` : null,
      title: `item ${i}`,
      description: "",
      tags: ["pytorch"],
    }));
  const options = { limit: 5, singleLabel: false };
  const context: TrainContext = { taxonomy, seed: 1, workers: 1 };

  it("says the held-out part is the newest 15% when every item is dated", async () => {
    await expect(trainTagger(reporting, content(true), context, options)).rejects.toThrow(
      "5 in the rest to fit on, 1 in the newest 15% held out for tuning",
    );
  });

  it("says it is a seeded random 15% when an item has no date", async () => {
    await expect(trainTagger(reporting, content(false), context, options)).rejects.toThrow(
      "5 in the rest to fit on, 1 in a seeded random 15% held out for tuning",
    );
  });
});

describe("trainTagger's held-out scores", () => {
  it("count the held-out items that have no approved tag, as eval counts them (n_unscored beside n_docs)", async () => {
    // 40 dated items; the newest 2 have only a tag that is not approved, so they are held out but cannot be scored.
    const items: ContentItem[] = Array.from({ length: 40 }, (_, i) => ({
      id: String(i),
      createdOn: new Date(Date.UTC(2021, 0, i + 1)).toISOString(),
      title: `item ${i}`,
      description: "",
      tags: i >= 38 ? ["not-approved"] : ["pytorch"],
    }));
    const kind = TAGGER_KINDS.frequent as TaggerKind;
    const context: TrainContext = { taxonomy, seed: 1, workers: 1 };
    const { heldOut } = await trainTagger(kind, items, context, { limit: 5, singleLabel: false });
    const held = holdOut(items, 1).tune.length;
    expect(heldOut).toMatchObject({ n_docs: held - 2, n_unscored: 2, items: held - 2 });
    expect(Object.keys(heldOut).slice(0, 2)).toEqual(["n_docs", "n_unscored"]);
  });
});
