// A model trained before the ensemble's newest combiner feature still loads and suggests: the missing weight is
// taken as 0, which is exactly the model it was. (Registries keep such models in production.)

import { describe, expect, it } from "vitest";
import { type EnsembleState, FEATURES } from "../../src/taggers/ensemble.js";
import { TAGGER_KINDS } from "../../src/taggers/index.js";
import { trainTagger } from "../../src/train/train.js";
import { loadSample } from "../support/sample.js";

describe("an ensemble trained with one feature fewer", () => {
  it("suggests as the same model with a zero weight for the newest feature", async () => {
    const { taxonomy, items } = await loadSample();
    const kind = TAGGER_KINDS.ensemble;
    if (!kind) throw new Error("no ensemble tagger");
    const trained = await trainTagger(
      kind,
      items,
      { taxonomy, seed: 7, workers: 1 },
      { limit: 5, singleLabel: false },
    );
    const state = trained.state as EnsembleState;
    const combiner = state.combiner;
    if (!combiner) throw new Error("the sample ensemble has no combiner");
    expect(combiner.weights).toHaveLength(FEATURES.length);
    const zeroed = kind.create(
      { ...state, combiner: { ...combiner, weights: [...combiner.weights.slice(0, -1), 0] } },
      taxonomy,
    );
    const old = kind.create(
      { ...state, combiner: { ...combiner, weights: combiner.weights.slice(0, -1) } },
      taxonomy,
    );
    for (const item of items.slice(0, 30)) {
      const suggestions = old.suggest(item, { limit: 5 });
      expect(suggestions.every((s) => Number.isFinite(s.score))).toBe(true);
      expect(suggestions).toEqual(zeroed.suggest(item, { limit: 5 }));
    }
  });
});
