import { describe, expect, it } from "vitest";
import { MAX_DESCRIPTION_CHARS, TagMatcher } from "../taggers/index.js";
import { Taxonomy } from "../taxonomy/index.js";
import { sliceOf } from "./evaluate.js";

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
