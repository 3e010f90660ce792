// The ensemble as a specification: what training counts, how the combinations are chosen and learned, which tags
// become candidates and how their scores respect the taxonomy.

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadSample } from "../../../test/support/sample.js";
import { labelsOf } from "../../data/index.js";
import { TagsmithError } from "../../errors.js";
import { Taxonomy } from "../../taxonomy/index.js";
import { byCodeUnit } from "../../text/index.js";
import { withHalfChosen } from "../half-chosen.js";
import { MAX_DESCRIPTION_CHARS } from "../input.js";
import type { TrainContext, TrainingItem } from "../tagger.js";
import type { EnsembleState, StoredEnsembleState } from "./combiner.js";
import { EnsembleModel, ensemble, MIN_CHOSEN_ITEMS } from "./ensemble.js";
import { FEATURES, TRAINED_FEATURES } from "./features.js";

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
  it("is refused as a tagger, at load, with a typed error that says to retrain, as a model file without a combiner is damaged", async () => {
    const taxonomy = new Taxonomy([{ tag: "pytorch", aliases: [], parents: [] }]);
    const items = [{ title: "Nets in PyTorch", description: "", gold: ["pytorch"] }];
    const untuned = await ensemble.train(items, { taxonomy, seed: 1, workers: 1 });
    const refusal = (() => {
      try {
        ensemble.create(untuned, taxonomy);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(TagsmithError);
    expect(refusal).toMatchObject({ code: "invalid_input", message: /no combiner.*retrain/ });
  });
});

/** The bundled sample as training items, and an ensemble trained on it, tuned on the same items. */
async function sampleEnsemble() {
  const { taxonomy, items } = await loadSample();
  const training: TrainingItem[] = items.map((item) => ({
    title: item.title,
    description: item.description,
    gold: labelsOf(item, taxonomy).gold,
    createdOn: item.createdOn,
  }));
  const context = { taxonomy, seed: 7, workers: 1 };
  const untuned = await ensemble.train(training, context);
  const tuned = ensemble.applyTuning?.(untuned, await tuneOf(untuned, training, context));
  if (!tuned) throw new Error("the ensemble applies no tuning");
  return { taxonomy, training, context, untuned, tuned };
}

function tuneOf(state: EnsembleState, heldOut: readonly TrainingItem[], context: TrainContext) {
  if (!ensemble.tune) throw new Error("the ensemble has no tuning");
  return ensemble.tune(state, heldOut, context);
}

describe("the ensemble on the sample", () => {
  let sample: Awaited<ReturnType<typeof sampleEnsemble>>;
  let model: EnsembleModel;
  beforeAll(async () => {
    sample = await sampleEnsemble();
    if (!sample.tuned.chosen)
      throw new Error("the sample ensemble learned no chosen-tags combination");
    model = new EnsembleModel(sample.tuned, sample.taxonomy);
  });

  it("never scores a tag below a candidate descendant, whatever the combination's weights", () => {
    const weight = fc.double({ min: -4, max: 4, noNaN: true });
    let pairs = 0;
    fc.assert(
      fc.property(
        fc.nat({ max: sample.training.length - 1 }),
        fc.boolean(),
        fc.array(weight, { minLength: FEATURES.length, maxLength: FEATURES.length }),
        weight,
        (at, withChosen, weights, intercept) => {
          const item = sample.training[at] as TrainingItem;
          const chosen = new Set(withChosen ? item.gold.slice(0, 1) : []);
          const candidates = model.candidates(item, chosen);
          const scores = model.scores(candidates, { weights, intercept });
          candidates.forEach(({ tag }, i) => {
            for (const ancestor of sample.taxonomy.ancestors(tag)) {
              const a = candidates.findIndex((candidate) => candidate.tag === ancestor);
              if (a === -1) continue;
              pairs++;
              expect(scores[a]).toBeGreaterThanOrEqual(scores[i] as number);
            }
          });
        },
      ),
      { numRuns: 100 },
    );
    // Not a property of nothing: the sample's taxonomy has parents, and they are candidates with their children.
    expect(pairs).toBeGreaterThan(100);
  });

  it("ranks candidates for tuning as it suggests them: ties by tag name, not in the order they were found", () => {
    const candidates = model.candidates(sample.training[0] as TrainingItem);
    const tags = candidates.map((c) => c.tag);
    // Every candidate scores sigmoid(0): all tied.
    const tied = { weights: FEATURES.map(() => 0), intercept: 0 };
    expect(tags).not.toEqual([...tags].sort(byCodeUnit));
    expect(model.rankCandidates(candidates, tied).map((r) => r.tag)).toEqual(
      [...tags].sort(byCodeUnit),
    );
  });

  it("scores with the chosen-tags combination only when tags are chosen and the model has one", () => {
    const { tuned, taxonomy, training } = sample;
    // Combinations that say which one scored: every candidate gets sigmoid(intercept).
    const constant = (intercept: number) => ({
      features: TRAINED_FEATURES,
      weights: TRAINED_FEATURES.map(() => 0),
      intercept,
    });
    const plain = { ...tuned, combiner: constant(0), threshold: 0.4 };
    const withChosen = { ...plain, chosen: { combiner: constant(2), threshold: 0.6 } };
    const used = (state: StoredEnsembleState, chosen: string[]) => {
      const { ranked, threshold } = new EnsembleModel(state, taxonomy).ranked(
        training[0] as TrainingItem,
        new Set(chosen),
      );
      return { scores: [...new Set(ranked.map((s) => s.score))], threshold };
    };
    const plainUsed = { scores: [0.5], threshold: 0.4 };
    expect(used(withChosen, [])).toEqual(plainUsed);
    expect(used(withChosen, ["pytorch"])).toEqual({
      scores: [1 / (1 + Math.exp(-2))],
      threshold: 0.6,
    });
    // Too few items to learn one, or a model file from before there was one.
    expect(used({ ...plain, chosen: null }, ["pytorch"])).toEqual(plainUsed);
    expect(used({ ...plain, chosen: undefined }, ["pytorch"])).toEqual(plainUsed);
  });

  it(`learns no chosen-tags combination from fewer than ${MIN_CHOSEN_ITEMS} held-out items with tags to show as chosen`, async () => {
    const { training, context, untuned } = sample;
    const shown = (n: number) => withHalfChosen(training.slice(0, n), context.seed).length;
    // The first items giving exactly MIN_CHOSEN_ITEMS, and one fewer (each item adds at most one).
    let enough = 0;
    while (shown(enough) < MIN_CHOSEN_ITEMS) enough++;
    expect(shown(enough - 1)).toBe(MIN_CHOSEN_ITEMS - 1);
    const tooFew = await tuneOf(untuned, training.slice(0, enough - 1), context);
    expect(tooFew.chosen).toBeNull();
    expect(tooFew.combiner.weights.length).toBeGreaterThan(0);
    expect((await tuneOf(untuned, training.slice(0, enough), context)).chosen).not.toBeNull();
  });
});

describe("the chosen tags' companions", () => {
  it("join the candidates: tags that training items with a chosen tag also carry", async () => {
    const taxonomy = new Taxonomy(
      ["keras", "jax", "flax", "sklearn"].map((tag) => ({ tag, aliases: [], parents: [] })),
    );
    const items = [
      ...Array.from({ length: 6 }, (_, i) => ({ title: `Keras layers ${i}`, gold: ["keras"] })),
      ...Array.from({ length: 3 }, (_, i) => ({ title: `Transforms ${i}`, gold: ["jax", "flax"] })),
      ...Array.from({ length: 2 }, (_, i) => ({ title: `Pipelines ${i}`, gold: ["sklearn"] })),
    ].map((item) => ({ ...item, description: "" }));
    // One candidate from each model, so the companions are not already there as the linear model's guesses.
    const state = await ensemble.train(items, {
      taxonomy,
      seed: 1,
      workers: 1,
      options: { ensemble: { candidatesPerModel: 1 } },
    });
    const model = new EnsembleModel(state, taxonomy);
    const text = { title: "Notes", description: "" };
    const tags = (chosen: string[]) => model.candidates(text, new Set(chosen)).map((c) => c.tag);
    expect(tags([])).not.toContain("flax");
    expect(tags(["jax"])).toContain("flax");
    // Never seen with jax: no companion.
    expect(tags(["jax"])).not.toContain("sklearn");
  });
});
