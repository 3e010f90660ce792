import { describe, expect, it } from "vitest";
import { Taxonomy } from "../taxonomy/index.js";
import { type EnsembleState, ensemble } from "./ensemble.js";
import { MAX_DESCRIPTION_CHARS } from "./input.js";

describe("ensemble training", () => {
  it("counts a tag as named where a tagger would see it: not past the cut of a long description", async () => {
    const taxonomy = new Taxonomy([
      { tag: "pytorch", aliases: [], parents: [] },
      { tag: "keras", aliases: [], parents: [] },
    ]);
    const filler = "word ".repeat(MAX_DESCRIPTION_CHARS / 5);
    const items = [
      { title: "Nets in PyTorch", description: "", gold: ["pytorch"] },
      { title: "A model", description: `${filler} Keras, PyTorch.`, gold: ["pytorch", "keras"] },
      { title: "Keras layers", description: "", gold: ["keras"] },
    ];
    const state = (await ensemble.train(items, { taxonomy, seed: 1, workers: 1 })) as EnsembleState;
    const named = (tag: string) => state.named[state.tags.indexOf(tag)];
    expect(named("pytorch")).toBe(1);
    expect(named("keras")).toBe(1);
  });
});
