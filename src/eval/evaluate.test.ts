import { describe, expect, it } from "vitest";
import { MAX_DESCRIPTION_CHARS, TagMatcher } from "../taggers/index.js";
import { Taxonomy } from "../taxonomy/index.js";
import { scoringPlan, sliceOf } from "./evaluate.js";

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
