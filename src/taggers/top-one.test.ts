// A single-label model names exactly one class for any text with words in it, whatever its threshold and the limit
// asked for; a multi-label one is left as it is.

import { describe, expect, it } from "vitest";
import { Taxonomy } from "../taxonomy/index.js";
import { finalizeSuggestions, type SuggestOptions, type Tagger } from "./tagger.js";
import { forLabelMode } from "./top-one.js";

const taxonomy = new Taxonomy(
  ["computer-vision", "natural-language-processing", "mlops"].map((tag) => ({
    tag,
    aliases: [],
    parents: [],
  })),
);

/** Scores below its tuned threshold (0.5) are not suggested unless asked, as with every trained tagger. */
const unsure: Tagger = {
  name: "unsure",
  suggest: (_content, options: SuggestOptions = {}) =>
    finalizeSuggestions(
      [
        { tag: "computer-vision", score: 0.4, source: "implicit" },
        { tag: "natural-language-processing", score: 0.3, source: "implicit" },
        { tag: "mlops", score: 0.2, source: "implicit" },
      ],
      taxonomy,
      { ...options, minScore: options.minScore ?? 0.5 },
    ),
};

describe("forLabelMode", () => {
  const content = { title: "Image classification", description: "" };

  it("gives a single-label model's best class even below its threshold, and only that one", () => {
    const single = forLabelMode(unsure, "single");
    expect(single.suggest(content).map((s) => s.tag)).toEqual(["computer-vision"]);
    expect(single.suggest(content, { limit: 5 })).toHaveLength(1);
    // The author's own class is never suggested: the next best is.
    expect(single.suggest(content, { exclude: ["computer-vision"] }).map((s) => s.tag)).toEqual([
      "natural-language-processing",
    ]);
    expect(single.suggest(content, { limit: 0 })).toEqual([]);
  });

  it("gives nothing for empty content, as every tagger", () => {
    expect(forLabelMode(unsure, "single").suggest({ title: " ", description: "\n" })).toEqual([]);
  });

  it("leaves a multi-label model as it is", () => {
    expect(forLabelMode(unsure, "multi")).toBe(unsure);
    expect(forLabelMode(unsure, "multi").suggest(content)).toEqual([]);
  });
});
