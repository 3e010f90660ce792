// A single-label model suggests exactly one class for any text with words in it, whatever its threshold and the
// limit asked for, and none once the author chose one; its ranking stays whole. A multi-label one is left as it is.

import { describe, expect, it } from "vitest";
import { Taxonomy } from "../taxonomy/index.js";
import { forLabelMode } from "./label-mode.js";
import { finalizeSuggestions, type SuggestOptions, type Tagger } from "./tagger.js";

const taxonomy = new Taxonomy(
  ["computer-vision", "natural-language-processing", "mlops"].map((tag) => ({
    tag,
    aliases: tag === "computer-vision" ? ["cv"] : [],
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

const tags = (suggestions: { tag: string }[]) => suggestions.map((s) => s.tag);

describe("forLabelMode", () => {
  const content = { title: "Image classification", description: "" };
  const single = forLabelMode(unsure, "single", taxonomy);

  it("gives a single-label model's best class even below its threshold, and only that one", () => {
    expect(tags(single.suggest(content))).toEqual(["computer-vision"]);
    expect(tags(single.suggest(content, { limit: 5 }))).toEqual(["computer-vision"]);
    expect(single.suggest(content, { limit: 0 })).toEqual([]);
  });

  it("suggests no other class once the author chose one, by any spelling", () => {
    expect(single.suggest(content, { exclude: ["CV"] })).toEqual([]);
    expect(single.suggest(content, { exclude: ["mlops"] })).toEqual([]);
    // A chosen tag that is no class leaves the suggestion as it was.
    expect(tags(single.suggest(content, { exclude: ["my-own-tag"] }))).toEqual(["computer-vision"]);
  });

  it("keeps the whole ranking when one is asked for, as evaluation's recall@5 does", () => {
    expect(tags(single.suggest(content, { limit: 5, minScore: 0 }))).toEqual([
      "computer-vision",
      "natural-language-processing",
      "mlops",
    ]);
  });

  it("gives nothing for content without words, as every tagger", () => {
    expect(single.suggest({ title: " ", description: "\n" })).toEqual([]);
    expect(single.suggest({ title: "---", description: "?" })).toEqual([]);
  });

  it("leaves a multi-label model as it is", () => {
    expect(forLabelMode(unsure, "multi", taxonomy)).toBe(unsure);
  });
});
