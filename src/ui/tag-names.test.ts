import { describe, expect, it } from "vitest";
import { appendTag, cleanTag, foldTag, splitTagList } from "./tag-names.js";

describe("foldTag", () => {
  it("makes case, spaces, hyphens and underscores irrelevant", () => {
    const spellings = ["PyTorch", "py-torch", "py_torch", "Py Torch", " pytorch "];
    expect(new Set(spellings.map(foldTag))).toEqual(new Set(["pytorch"]));
  });

  it("keeps other characters apart", () => {
    expect(foldTag("c++")).not.toBe(foldTag("c"));
  });
});

describe("splitTagList", () => {
  it("splits on commas, cleans each tag and drops empties", () => {
    expect(splitTagList(" pytorch,  ,natural   language processing ,")).toEqual([
      "pytorch",
      "natural language processing",
    ]);
  });

  it("keeps the first spelling of a tag typed twice", () => {
    expect(splitTagList("Computer Vision, computer-vision, nlp")).toEqual([
      "Computer Vision",
      "nlp",
    ]);
  });

  it("reads an empty field as no tags", () => {
    expect(splitTagList("")).toEqual([]);
  });
});

describe("appendTag", () => {
  it("appends after a comma and a space", () => {
    expect(appendTag("pytorch", "nlp")).toBe("pytorch, nlp");
  });

  it("replaces a trailing separator rather than doubling it", () => {
    expect(appendTag("pytorch, ", "nlp")).toBe("pytorch, nlp");
  });

  it("fills an empty field with the tag alone", () => {
    expect(appendTag("  ", "nlp")).toBe("nlp");
  });

  it("leaves the field alone when it already holds the tag in another spelling", () => {
    expect(appendTag("Py-Torch", "pytorch")).toBe("Py-Torch");
  });
});

describe("cleanTag", () => {
  it("trims and collapses inner spaces", () => {
    expect(cleanTag("  graph   neural  networks ")).toBe("graph neural networks");
  });
});
