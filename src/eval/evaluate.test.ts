import { describe, expect, it } from "vitest";
import { MAX_DESCRIPTION_CHARS, type Tagger, TagMatcher } from "../taggers/index.js";
import { Taxonomy } from "../taxonomy/index.js";
import { evaluate, scoringPlan, sliceOf } from "./evaluate.js";

describe("sliceOf", () => {
  const taxonomy = new Taxonomy([{ tag: "pytorch", aliases: [], parents: [] }]);
  const matcher = new TagMatcher(taxonomy);
  const filler = "word ".repeat(MAX_DESCRIPTION_CHARS / 5);

  it("reads the text cut as taggers read it: a tag named only past the cut is implicit to them", () => {
    const named = { title: "A model", description: "Written in PyTorch.", gold: ["pytorch"] };
    expect(sliceOf(named, matcher)).toContain("all_explicit");
    const pastTheCut = { ...named, description: `${filler} Written in PyTorch.` };
    expect(sliceOf(pastTheCut, matcher)).toEqual(["has_implicit"]);
  });
});

describe("scoringPlan", () => {
  it("scores at the limit unless the data or any model is single-label, then at one suggestion", () => {
    expect(scoringPlan(5, "multi", "multi")).toEqual({ limit: 5, singleLabel: false });
    expect(scoringPlan(5, "single", "multi")).toEqual({ limit: 1, singleLabel: true });
    expect(scoringPlan(3, "multi", "single")).toEqual({ limit: 1, singleLabel: true });
    expect(scoringPlan(5)).toEqual({ limit: 5, singleLabel: false });
  });
});

describe("evaluate", () => {
  const taxonomy = new Taxonomy(
    ["pytorch", "nlp"].map((tag) => ({ tag, aliases: [], parents: [] })),
  );
  const tagger: Tagger = {
    name: "fixed",
    suggest: () => [{ tag: "nlp", score: 0.9, source: "implicit" }],
  };
  // One gold tag each, never named: no item is all explicit, none has tags to choose from.
  const items = [
    { title: "Reading reviews with a long model of words", description: "", gold: ["nlp"] },
    { title: "Sentiment of product reviews at scale today", description: "", gold: ["nlp"] },
  ];

  it("gives a group with no item null scores, not 0, keeping its fields", () => {
    const { evaluated: _, ...report } = evaluate(tagger, items, taxonomy, { limit: 5 });
    const none = { precision: null, recall: null, f1: null };
    expect(report.slices.all_explicit).toEqual({ ...none, n_docs: 0 });
    expect(report.slices.has_implicit).toEqual({ precision: 1, recall: 1, f1: 1, n_docs: 2 });
    expect(report.with_chosen).toEqual({
      n_docs: 0,
      draws: 5,
      suggested: none,
      at_5: { precision: null, recall: null },
    });
  });

  it("refuses no item at all: there is no score of nothing", () => {
    expect(() => evaluate(tagger, [], taxonomy, { limit: 5 })).toThrow("there is no item to score");
  });
});
