import { describe, expect, it } from "vitest";
import { type TagDefinition, Taxonomy } from "../taxonomy/index.js";
import { labelsOf } from "./labels.js";

const def = (tag: string, parents: string[] = [], aliases: string[] = []): TagDefinition => ({
  tag,
  aliases,
  parents,
});

// A small tree in the shape of the Made With ML list: three levels, a parent (`audio`) that is not approved.
const taxonomy = new Taxonomy([
  def("natural-language-processing", [], ["nlp"]),
  def("language-modeling", ["natural-language-processing"]),
  def("transformers", ["language-modeling"], ["transformer-models"]),
  def("computer-vision", [], ["cv"]),
  def("object-detection", ["computer-vision"]),
  def("speech-recognition", ["audio", "natural-language-processing"]),
  def("music-generation", ["audio"]),
]);

describe("labelsOf", () => {
  it("adds every approved ancestor, through several levels", () => {
    expect(labelsOf({ tags: ["transformers"] }, taxonomy).gold).toEqual([
      "language-modeling",
      "natural-language-processing",
      "transformers",
    ]);
  });

  it("gives each gold tag once, sorted, when tags share ancestors", () => {
    const { gold } = labelsOf(
      { tags: ["transformers", "language-modeling", "object-detection"] },
      taxonomy,
    );
    expect(gold).toEqual([
      "computer-vision",
      "language-modeling",
      "natural-language-processing",
      "object-detection",
      "transformers",
    ]);
    expect(new Set(gold).size).toBe(gold.length);
  });

  it("skips parents that are not approved tags", () => {
    expect(labelsOf({ tags: ["music-generation"] }, taxonomy)).toEqual({
      gold: ["music-generation"],
      unapproved: [],
    });
    expect(labelsOf({ tags: ["speech-recognition"] }, taxonomy).gold).toEqual([
      "natural-language-processing",
      "speech-recognition",
    ]);
  });

  it("keeps unapproved tags, in the item's order, out of gold", () => {
    expect(labelsOf({ tags: ["tutorial", "object-detection", "code", "audio"] }, taxonomy)).toEqual(
      {
        gold: ["computer-vision", "object-detection"],
        unapproved: ["tutorial", "code", "audio"],
      },
    );
  });

  it("counts a tag spelled as an alias, or in another case, as unapproved: gold uses exact names", () => {
    expect(labelsOf({ tags: ["nlp", "cv", "Transformers", "object_detection"] }, taxonomy)).toEqual(
      {
        gold: [],
        unapproved: ["nlp", "cv", "Transformers", "object_detection"],
      },
    );
    // the taxonomy would resolve them: validation reports them as alias tags
    expect(taxonomy.resolve("nlp")).toBe("natural-language-processing");
    expect(taxonomy.resolve("object_detection")).toBe("object-detection");
  });

  it("gives nothing for an item without tags", () => {
    expect(labelsOf({ tags: [] }, taxonomy)).toEqual({ gold: [], unapproved: [] });
  });
});
