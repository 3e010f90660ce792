import { describe, expect, it } from "vitest";
import { Taxonomy } from "../taxonomy/index.js";
import { RulesTagger, TagMatcher } from "./rules.js";

const taxonomy = new Taxonomy(
  [
    ["c++", []],
    ["c", []],
    ["3d", ["three-dimensional"]],
    ["gpt", []],
    ["python", []],
    ["tensorflow", ["tf"]],
    ["generative-adversarial-networks", ["gan"]],
    ["object-detection", []],
    ["word2vec", []],
    ["opencv", []],
    ["yolo", []],
  ].map(([tag, aliases]) => ({ tag: tag as string, aliases: aliases as string[], parents: [] })),
);
const matcher = new TagMatcher(taxonomy);
const tagsIn = (title: string, description = "") =>
  matcher.match({ title, description }).map((m) => m.tag);

describe("TagMatcher", () => {
  it("matches names and aliases whatever their case, plurals, hyphens and spaces", () => {
    expect(tagsIn("Object Detection with GANs")).toEqual([
      "object-detection",
      "generative-adversarial-networks",
    ]);
    expect(tagsIn("object-detection in 3D, Three-Dimensional too")).toEqual([
      "object-detection",
      "3d",
    ]);
    expect(tagsIn("Generative adversarial network basics")).toEqual([
      "generative-adversarial-networks",
    ]);
  });

  it("keeps punctuated names apart: C++ is not C", () => {
    expect(tagsIn("Fast C++ inference")).toEqual(["c++"]);
    expect(tagsIn("Inference in C")).toEqual(["c"]);
  });

  it("does not read a one-letter name joined to another word by a hyphen: R-CNN is not R", () => {
    const withR = new TagMatcher(new Taxonomy([{ tag: "r", aliases: [], parents: [] }]));
    const tags = (title: string) => withR.match({ title, description: "" }).map((m) => m.tag);
    expect(tags("Faster R-CNN for object detection")).toEqual([]);
    expect(tags("Mask-R explained, and C-3PO")).toEqual([]);
    // Standing alone, or before a hyphen that joins nothing, it is the name.
    expect(tags("Data analysis in R")).toEqual(["r"]);
    expect(tags("R - a language for statistics")).toEqual(["r"]);
    expect(tagsIn("C-3PO in C")).toEqual(["c"]);
  });

  it("reads a name fused with a version as the name, with the whole token as evidence", () => {
    expect(tagsIn("Migrating to TensorFlow2", "Python3 scripts; GPT3 and gpt-2 compared")).toEqual([
      "tensorflow",
      "python",
      "gpt",
    ]);
    // A name ending in v keeps it; a version may begin with one.
    expect(tagsIn("OpenCV4 and YOLOv5")).toEqual(["opencv", "yolo"]);
    const [match] = matcher.match({ title: "Why TensorFlow2", description: "" });
    expect(match?.evidence).toEqual([{ field: "title", text: "TensorFlow2", start: 4, end: 15 }]);
  });

  it("leaves alone what only looks versioned: short letters, names with digits inside, other words", () => {
    expect(tagsIn("Trained on C4 with TF2")).toEqual([]);
    expect(tagsIn("word2vec embeddings")).toEqual(["word2vec"]);
    expect(tagsIn("Pythonic code in python3d")).toEqual([]);
  });

  it("reads no part of a word a long field is cut in as a word", () => {
    const tagger = new RulesTagger(taxonomy);
    const tagsOf = (title: string) => tagger.suggest({ title }).map((s) => s.tag);
    const title = `${"a ".repeat(497)}PythonX`;
    expect(title.slice(0, 1_000).endsWith(" Python")).toBe(true);
    expect(tagsOf(title)).toEqual([]);
    expect(tagsOf(`${"a ".repeat(497)}Python X`)).toEqual(["python"]);
  });
});
