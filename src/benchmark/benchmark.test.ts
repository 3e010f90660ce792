// The benchmark refuses a split too small to train, tune and score on, as training does, rather than print rows
// scored on one or two items.

import { describe, expect, it } from "vitest";
import type { ContentItem } from "../data/index.js";
import { scoringPlan } from "../eval/index.js";
import { TAGGER_KINDS } from "../taggers/index.js";
import { Taxonomy } from "../taxonomy/index.js";
import { benchmark } from "./benchmark.js";

const items = (n: number): ContentItem[] =>
  Array.from({ length: n }, (_, i) => ({
    id: String(i),
    createdOn: `2021-01-${String(i + 1).padStart(2, "0")}T00:00:00.000Z`,
    title: `Object detection in PyTorch, part ${i}`,
    description: "",
    tags: ["pytorch"],
  }));
const context = { taxonomy: Taxonomy.fromLabels(["pytorch"]), seed: 1, workers: 1 };
const kinds = [TAGGER_KINDS.frequent, TAGGER_KINDS.rules];

describe("benchmark", () => {
  it("refuses too little labeled data with train's message, naming each part of the split", async () => {
    await expect(
      benchmark(kinds, items(6), context, { limit: 5, singleLabel: false }),
    ).rejects.toThrow(
      "too little labeled data: 6 of 6 items have an approved tag, 4 in the oldest 70% (train), 1 in the next 15% (tune), 1 in the newest 15% (test); each part needs at least 2",
    );
  });

  it("runs when every part has enough", async () => {
    const report = await benchmark(kinds, items(14), context, { limit: 5, singleLabel: false });
    expect(report.split).toEqual({ train: 10, tune: 2, test: 2, method: "time" });
    expect(report.rows.map((r) => r.tagger)).toEqual(["frequent", "rules"]);
  });

  it("splits undated items at random, seeded, rather than refusing them", async () => {
    const undated = items(14).map((item) => ({ ...item, createdOn: null }));
    const report = await benchmark(kinds, undated, context, { limit: 5, singleLabel: false });
    expect(report.split).toEqual({ train: 10, tune: 2, test: 2, method: "random" });
    const again = await benchmark(kinds, undated, context, { limit: 5, singleLabel: false });
    expect(again.rows.map((r) => r.suggested)).toEqual(report.rows.map((r) => r.suggested));
  });

  it("scores single-label data at one suggestion, with accuracy and weighted F1, as eval does", async () => {
    const twoClasses = items(20).map((item, i) =>
      i % 2 ? { ...item, title: `Word embeddings, part ${i}`, tags: ["nlp"] } : item,
    );
    const taxonomy = Taxonomy.fromLabels(["pytorch", "nlp"]);
    const report = await benchmark(
      [TAGGER_KINDS.frequent],
      twoClasses,
      { ...context, taxonomy },
      scoringPlan(5, "single"),
    );
    expect(report.limit).toBe(1);
    const [row] = report.rows;
    expect(row?.suggested.mean_suggested).toBeLessThanOrEqual(1);
    expect(row?.single_label?.accuracy).toBeGreaterThan(0);
    expect(row?.single_label?.accuracy).toBeLessThan(1);
  });
});
