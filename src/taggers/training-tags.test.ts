import { describe, expect, it } from "vitest";
import { Taxonomy } from "../taxonomy/index.js";
import { frequent } from "./baseline-frequent.js";
import { frequentTags } from "./linear.js";
import { trainingTags } from "./training-tags.js";

const items = [
  { title: "a", description: "", gold: ["nlp", "bert", "nlp"] },
  { title: "b", description: "", gold: ["cv"] },
  { title: "c", description: "", gold: ["nlp", "cv"] },
  { title: "d", description: "", gold: ["gan"] },
];

describe("trainingTags", () => {
  it("lists the gold tags sorted, with the items carrying each (a tag repeated in an item counts once)", () => {
    const { tags, index, counts } = trainingTags(items);
    expect(tags).toEqual(["bert", "cv", "gan", "nlp"]);
    expect([...counts]).toEqual([1, 2, 1, 2]);
    expect(index.get("gan")).toBe(2);
  });

  it("gives each item's tags as positions in the list, each once, in the item's order", () => {
    expect(trainingTags(items).itemTags).toEqual([[3, 0], [1], [3, 1], [2]]);
  });

  it("gives the linear model its classes and the frequency baseline its order (ties by name)", async () => {
    expect(frequentTags(items, 2)).toEqual(["cv", "nlp"]);
    const state = await frequent.train(items, { taxonomy: new Taxonomy([]), seed: 1, workers: 1 });
    expect(state.tags).toEqual([
      { tag: "cv", share: 0.5 },
      { tag: "nlp", share: 0.5 },
      { tag: "bert", share: 0.25 },
      { tag: "gan", share: 0.25 },
    ]);
  });
});
