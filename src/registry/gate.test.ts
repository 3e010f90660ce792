// The gate's rule: a candidate below production on suggested F1 or recall@5 is worse; ties and other metrics are not.

import { describe, expect, it } from "vitest";
import { candidateSawGold, goldItemsTrainedOn, trainedOnGoldCounts, worseMetrics } from "./gate.js";
import type { GateRecord, GateScores } from "./schema.js";

const scores = (f1: number, r5: number, other = 0.5): GateScores => ({
  suggested_f1: f1,
  recall_at_5: r5,
  precision: other,
  recall: other,
  ndcg_at_5: other,
  n_docs: 10,
});

describe("worseMetrics", () => {
  it("names each primary metric the candidate is below production on", () => {
    expect(worseMetrics(scores(0.5, 0.9), scores(0.6, 0.8))).toEqual(["suggested F1"]);
    expect(worseMetrics(scores(0.7, 0.7), scores(0.6, 0.8))).toEqual(["recall@5"]);
    expect(worseMetrics(scores(0.1, 0.1), scores(0.6, 0.8))).toEqual(["suggested F1", "recall@5"]);
  });

  it("passes ties, better scores, secondary metrics and a first promotion", () => {
    expect(worseMetrics(scores(0.6, 0.8), scores(0.6, 0.8))).toEqual([]);
    expect(worseMetrics(scores(0.7, 0.9, 0), scores(0.6, 0.8, 1))).toEqual([]);
    expect(worseMetrics(scores(0, 0), null)).toEqual([]);
  });
});

describe("goldItemsTrainedOn", () => {
  it("counts gold items whose title and description a model was trained on, whatever their ids", () => {
    const item = (title: string, description = "") => ({ title, description });
    const training = [item("YOLOv5 in PyTorch", "Real-time detection."), item("BERT fine-tuning")];
    const gold = [
      item("YOLOv5 in PyTorch ", "Real-time detection."),
      item("YOLOv5 in PyTorch", "Another description."),
      item("BERT fine-tuning"),
      item("Graph attention networks"),
    ];
    expect(goldItemsTrainedOn(gold, training)).toEqual(new Set([0, 2]));
    expect(goldItemsTrainedOn(gold, []).size).toBe(0);
  });

  it("counts a copy with its case, punctuation or a word changed, as the leakage check does", () => {
    const item = (title: string, description = "") => ({ title, description });
    const gold = [
      item(
        "Object detection with RetinaNet",
        "A one-stage detector trained with focal loss on the COCO dataset, in PyTorch, with pretrained weights.",
      ),
      item("BERT fine-tuning for sentiment", "Fine-tune BERT on movie reviews."),
    ];
    const edited = [
      item(
        "object detection with RetinaNet.",
        "A one-stage detector trained with focal loss on the COCO dataset, in PyTorch, with pretrained weights!",
      ),
      item("BERT fine tuning for sentiment", "Fine-tune BERT on movie reviews."),
    ];
    expect(goldItemsTrainedOn(gold, edited).size).toBe(2);
    // Another text on the same subject is not a copy.
    expect(
      goldItemsTrainedOn(gold, [item("RetinaNet explained", "How focal loss works.")]).size,
    ).toBe(0);
  });
});

describe("trainedOnGoldCounts", () => {
  it("counts the gold items only the candidate saw, not the difference of the counts", () => {
    expect(trainedOnGoldCounts(new Set([0, 1, 2]), new Set([2, 3, 4]))).toEqual({
      candidate: 3,
      production: 3,
      candidateOnly: 2,
    });
    expect(trainedOnGoldCounts(new Set([0, 1]), null)).toEqual({
      candidate: 2,
      production: null,
      candidateOnly: 2,
    });
    expect(trainedOnGoldCounts({ unreadable: "a.json: file not found" }, new Set([1]))).toEqual({
      candidate: null,
      production: 1,
      candidateOnly: null,
      candidateUnreadable: "a.json: file not found",
    });
    expect(trainedOnGoldCounts(new Set([1]), { unreadable: "b.json: file not found" })).toEqual({
      candidate: 1,
      production: null,
      candidateOnly: 1,
      productionUnreadable: "b.json: file not found",
    });
  });
});

describe("candidateSawGold", () => {
  const gate = (
    candidate: number | null,
    production: number | null,
    {
      items = 200,
      champion = true,
      candidateOnly,
    }: { items?: number; champion?: boolean; candidateOnly?: number } = {},
  ): GateRecord => ({
    gold: { file: "gold.json", fingerprint: "f", items },
    candidate: scores(0.7, 0.8),
    production: champion ? { id: "p", scores: scores(0.6, 0.7) } : null,
    worse: [],
    trainedOnGold: {
      candidate,
      production,
      ...(candidateOnly === undefined ? {} : { candidateOnly }),
    },
  });

  it("names a candidate trained on more gold items than production, past 1% of them", () => {
    expect(candidateSawGold(gate(200, 0))).toEqual({ candidate: 200, production: 0, items: 200 });
    expect(candidateSawGold(gate(3, 0))).toEqual({ candidate: 3, production: 0, items: 200 });
    // A production model whose training files are gone counts as having seen none.
    expect(candidateSawGold(gate(200, null))).not.toBeNull();
  });

  it("objects to gold items only the candidate saw, however many production saw of the others", () => {
    expect(candidateSawGold(gate(100, 100, { candidateOnly: 100 }))).toEqual({
      candidate: 100,
      production: 100,
      candidateOnly: 100,
      items: 200,
    });
    expect(candidateSawGold(gate(100, 150, { candidateOnly: 2 }))).toBeNull();
    // Records written before candidateOnly was kept compare the counts.
    expect(candidateSawGold(gate(100, 100))).toBeNull();
  });

  it("objects to a candidate whose training data cannot be read to tell", () => {
    expect(candidateSawGold(gate(null, 0))).toEqual({ candidate: null, production: 0, items: 200 });
    expect(candidateSawGold(gate(null, 0, { champion: false }))).toBeNull();
  });

  it("lets through a few reposted items, a production model that saw as much, and a first promotion", () => {
    expect(candidateSawGold(gate(2, 0))).toBeNull();
    expect(candidateSawGold(gate(200, 200))).toBeNull();
    expect(candidateSawGold(gate(0, 200))).toBeNull();
    expect(candidateSawGold(gate(0, null))).toBeNull();
    expect(candidateSawGold(gate(200, 0, { champion: false }))).toBeNull();
    const older = { ...gate(200, 0) };
    delete older.trainedOnGold;
    expect(candidateSawGold(older)).toBeNull();
  });
});
