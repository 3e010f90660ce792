import { describe, expect, it } from "vitest";
import { Taxonomy } from "../taxonomy/index.js";
import { searchKey, TagIndex } from "./tag-search.js";

const index = new TagIndex(
  new Taxonomy([
    { tag: "natural-language-processing", aliases: ["nlp"], parents: [], category: "domains" },
    { tag: "language-modeling", aliases: ["LM"], parents: ["natural-language-processing"] },
    { tag: "computer-vision", aliases: ["cv", "vision"], parents: [] },
    { tag: "vision-transformers", aliases: ["ViT"], parents: ["computer-vision"] },
  ]),
);
const names = (query: string | undefined, limit = 10) =>
  index.search(query, limit).matches.map((m) => [m.definition.tag, m.matched]);

describe("TagIndex", () => {
  it("folds case, spaces, hyphens and underscores", () => {
    expect(searchKey("Natural Language_Processing")).toBe(searchKey("natural-language-processing"));
    expect(names("NATURAL language")[0]).toEqual([
      "natural-language-processing",
      "natural-language-processing",
    ]);
    expect(names("naturallang")[0]?.[0]).toBe("natural-language-processing");
  });

  it("ranks an exact alias over a prefix of a name, and a prefix over a substring", () => {
    expect(names("vision")).toEqual([
      ["computer-vision", "vision"],
      ["vision-transformers", "vision-transformers"],
    ]);
    expect(names("lang")).toEqual([
      ["language-modeling", "language-modeling"],
      ["natural-language-processing", "natural-language-processing"],
    ]);
  });

  it("lists every tag in name order without a query, and counts matches past the limit", () => {
    expect(index.search(undefined, 2).total).toBe(4);
    expect(names("", 2)).toEqual([
      ["computer-vision", undefined],
      ["language-modeling", undefined],
    ]);
    expect(index.search("i", 1)).toMatchObject({ total: 4 });
    expect(names("zzz")).toEqual([]);
  });
});
