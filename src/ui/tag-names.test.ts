import { describe, expect, it } from "vitest";
import { appendTag, cleanTag, splitTagList, tagKey, tagKeys } from "./tag-names.js";

describe("tagKey", () => {
  it("makes case and runs of spaces, hyphens and underscores irrelevant", () => {
    const spellings = [
      "Deep Learning",
      "deep-learning",
      "deep_learning",
      " DEEP  learning ",
      "deep - learning",
    ];
    expect(new Set(spellings.map(tagKey))).toEqual(new Set(["deep-learning"]));
  });

  it("is the service's key, so the widget hides exactly the suggestions the service would exclude", () => {
    // "pytorch" and "py-torch" are two tags to the approved list's lookup: the widget must not hide one for the other.
    expect(tagKey("py-torch")).not.toBe(tagKey("pytorch"));
  });

  it("keeps other characters apart", () => {
    expect(tagKey("c++")).not.toBe(tagKey("c"));
  });
});

describe("tagKeys", () => {
  it("holds a tag whatever its spelling, once", () => {
    const keys = tagKeys(new Set(["Deep Learning", "deep_learning", "NLP"]));
    expect(keys).toEqual(new Set(["deep-learning", "nlp"]));
    expect(keys.has(tagKey("DEEP-learning"))).toBe(true);
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
    expect(appendTag("Deep Learning", "deep-learning")).toBe("Deep Learning");
  });
});

describe("cleanTag", () => {
  it("trims and collapses inner spaces", () => {
    expect(cleanTag("  graph   neural  networks ")).toBe("graph neural networks");
  });
});
