import { describe, expect, it } from "vitest";
import { TagsmithError } from "../../errors.js";
import { Taxonomy } from "../../taxonomy/index.js";
import { MAX_DESCRIPTION_CHARS } from "../input.js";
import type { TrainingItem } from "../tagger.js";
import { type EnsembleState, ensemble } from "./index.js";

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

  it("takes the recent-tag prior from the newest fifth by date, in whatever order items come; undated, from all", async () => {
    const taxonomy = new Taxonomy([
      { tag: "keras", aliases: [], parents: [] },
      { tag: "jax", aliases: [], parents: [] },
    ]);
    // Ten items: the two newest are the only jax ones, listed first.
    const items = Array.from({ length: 10 }, (_, i) => ({
      title: `Model ${i}`,
      description: "layers and training",
      gold: [i >= 8 ? "jax" : "keras"],
      createdOn: `2020-01-${String(10 + i)} 00:00:00`,
    })).reverse();
    const recentOf = async (training: readonly TrainingItem[]) => {
      const state = (await ensemble.train(training, {
        taxonomy,
        seed: 1,
        workers: 1,
      })) as EnsembleState;
      return Object.fromEntries(state.tags.map((tag, i) => [tag, state.recent[i]]));
    };
    expect(await recentOf(items)).toEqual({ jax: 1, keras: 0 });
    // Undated (a random hold-out): no newest items; the share among all.
    const undated = await recentOf(items.map((item) => ({ ...item, createdOn: null })));
    expect(undated.jax).toBeCloseTo(0.2, 6);
    expect(undated.keras).toBeCloseTo(0.8, 6);
  });
});

describe("an ensemble never tuned", () => {
  it("refuses to suggest with a typed error that says to retrain, as a model file without a combiner is damaged", async () => {
    const taxonomy = new Taxonomy([{ tag: "pytorch", aliases: [], parents: [] }]);
    const items = [{ title: "Nets in PyTorch", description: "", gold: ["pytorch"] }];
    const untuned = await ensemble.train(items, { taxonomy, seed: 1, workers: 1 });
    const tagger = ensemble.create(untuned, taxonomy);
    const refusal = (() => {
      try {
        tagger.suggest({ title: "PyTorch" });
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(TagsmithError);
    expect(refusal).toMatchObject({ code: "invalid_input", message: /no combiner.*retrain/ });
  });
});
