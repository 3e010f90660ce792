// Model files written by older tagsmiths still load and suggest as they did (registries keep such models in
// production): a combiner without feature names was fitted on the first features, a model without a chosen-tags
// combination uses its one combination, and a dense co-occurrence matrix is made sparse at load.

import { beforeAll, describe, expect, it } from "vitest";
import type { ContentItem } from "../../src/data/index.js";
import { decodeModel, encodeModel } from "../../src/model/index.js";
import {
  type EnsembleState,
  FEATURES,
  type StoredEnsembleState,
} from "../../src/taggers/ensemble/index.js";
import { TAGGER_KINDS, type TaggerKind } from "../../src/taggers/index.js";
import type { Taxonomy } from "../../src/taxonomy/index.js";
import { trainingItems, trainTagger } from "../../src/train/index.js";
import { loadSample } from "../support/sample.js";

let kind: TaggerKind;
let taxonomy: Taxonomy;
let items: ContentItem[];
let state: EnsembleState;

beforeAll(async () => {
  ({ taxonomy, items } = await loadSample());
  const found = TAGGER_KINDS.ensemble;
  if (!found) throw new Error("no ensemble tagger");
  kind = found;
  const trained = await trainTagger(
    kind,
    items,
    { taxonomy, seed: 7, workers: 1 },
    { limit: 5, singleLabel: false },
  );
  state = trained.state as EnsembleState;
});

/** The state as a model file holds it, written and read back. */
const throughFile = (value: unknown) => decodeModel(encodeModel(value), "model.bin");

describe("a combiner from an older model file", () => {
  /** The trained combiner's weights over `names` (0 for a feature it was not fitted on). */
  const weightsOver = (names: readonly string[]) => {
    const combiner = state.combiner;
    if (!combiner) throw new Error("the sample ensemble has no combiner");
    return names.map((name) => {
      const j = combiner.features.indexOf(name as (typeof FEATURES)[number]);
      return j === -1 ? 0 : (combiner.weights[j] as number);
    });
  };

  it("without feature names, is read as fitted on the first FEATURES, in their order, as many as it has weights", () => {
    const combiner = state.combiner;
    if (!combiner) throw new Error("the sample ensemble has no combiner");
    const legacy = FEATURES.slice(0, 16);
    const unnamed = kind.create(
      { ...state, combiner: { weights: weightsOver(legacy), intercept: combiner.intercept } },
      taxonomy,
    );
    // The same weights named, listed in another order: features are matched by name, not position.
    const reversed = [...legacy].reverse();
    const named = kind.create(
      {
        ...state,
        combiner: {
          features: reversed,
          weights: weightsOver(reversed),
          intercept: combiner.intercept,
        },
      },
      taxonomy,
    );
    for (const item of items.slice(0, 30)) {
      const suggestions = unnamed.suggest(item, { limit: 5 });
      expect(suggestions.every((s) => Number.isFinite(s.score))).toBe(true);
      expect(suggestions).toEqual(named.suggest(item, { limit: 5 }));
    }
  });

  it("without a chosen-tags combination, ranks with its one combination when tags are chosen", () => {
    const old = kind.create({ ...state, chosen: undefined }, taxonomy);
    for (const item of items.slice(0, 30)) {
      const suggestions = old.suggest(item, { limit: 5, exclude: ["pytorch"] });
      expect(suggestions.every((s) => Number.isFinite(s.score) && s.tag !== "pytorch")).toBe(true);
    }
  });

  it("is refused when it has more weights than this tagsmith has features, or names one it does not know", () => {
    const combiner = state.combiner;
    if (!combiner) throw new Error("the sample ensemble has no combiner");
    expect(() =>
      kind.create(
        {
          ...state,
          combiner: { weights: new Array(FEATURES.length + 1).fill(1), intercept: 0 },
        },
        taxonomy,
      ),
    ).toThrow(/features/);
    expect(() =>
      kind.create(
        { ...state, combiner: { features: ["from_the_future"], weights: [1], intercept: 0 } },
        taxonomy,
      ),
    ).toThrow(/from_the_future/);
  });

  it("is refused, naming what is wrong, when its names and weights do not pair up", () => {
    const refusal = (combiner: { features: string[]; weights: number[]; intercept: number }) => {
      try {
        kind.create({ ...state, combiner }, taxonomy);
      } catch (error) {
        return (error as Error).message;
      }
      return "loaded";
    };
    expect(refusal({ features: ["knn", "knn"], weights: [1, 2], intercept: 0 })).toMatch(
      /names feature knn twice: the model file is damaged/,
    );
    expect(refusal({ features: ["knn", "linear"], weights: [1], intercept: 0 })).toMatch(
      /has 1 weights for 2 features: the model file is damaged/,
    );
  });

  it("for chosen tags, is checked as the other one is (a feature it names and this tagsmith lacks was dropped)", () => {
    // The sample is too small to fit one (MIN_CHOSEN_ITEMS): the plain combination stands in for it.
    const combiner = state.combiner;
    if (!combiner) throw new Error("the sample ensemble has no combiner");
    const chosen = { combiner, threshold: state.threshold };
    const future = {
      ...chosen,
      combiner: {
        ...combiner,
        features: [...combiner.features, "sibling_of_chosen"],
        weights: [...combiner.weights, 3],
      },
    };
    expect(() => kind.create(throughFile({ ...state, chosen: future }), taxonomy)).toThrow(
      "the ensemble's combiner for chosen tags uses features this tagsmith does not know (sibling_of_chosen)",
    );
    expect(() => kind.create(throughFile({ ...state, chosen }), taxonomy)).not.toThrow();
  });
});

describe("the combiner's features", () => {
  it("keep the order every stored combiner was fitted in: a new feature goes at the end", () => {
    expect(FEATURES.slice(0, 16)).toEqual([
      "linear",
      "linear_logit",
      "knn",
      "named_in_title",
      "named_in_description",
      "naming_precision",
      "ancestor_of_named",
      "ancestor_of_linear",
      "log_prior",
      "linear_top1",
      "cooccurs_with_named",
      "cooccurs_with_linear",
      "keyword_best",
      "keyword_noisy_or",
      "recent_prior",
      "linear_logit_if_named",
    ]);
  });
});

describe("tag co-occurrence", () => {
  /** counts[a * size + b]: training items carrying both tag a and tag b, a != b, counted naively. */
  function denseCounts(tags: readonly string[]): Int32Array {
    const size = tags.length;
    const dense = new Int32Array(size * size);
    for (const item of trainingItems(items, taxonomy)) {
      const gold = [...new Set(item.gold)].map((tag) => tags.indexOf(tag));
      for (const a of gold) for (const b of gold) if (a !== b) dense[a * size + b]++;
    }
    return dense;
  }

  it("is stored sparse: exactly the non-zero pairs of the dense counts, each row ascending", () => {
    const { offsets, tags, counts } = state.cooccurrence;
    const size = state.tags.length;
    const dense = denseCounts(state.tags);
    const fromSparse = new Int32Array(size * size);
    for (let a = 0; a < size; a++) {
      for (let k = offsets[a]; k < offsets[a + 1]; k++) {
        expect(counts[k]).toBeGreaterThan(0);
        if (k > offsets[a]) expect(tags[k]).toBeGreaterThan(tags[k - 1]);
        fromSparse[a * size + tags[k]] = counts[k];
      }
    }
    expect(fromSparse).toEqual(dense);
  });

  it("loaded from a model file with the dense matrix, suggests exactly as the sparse model", () => {
    const dense: StoredEnsembleState = { ...state, cooccurrence: denseCounts(state.tags) };
    const old = kind.create(throughFile(dense), taxonomy);
    const current = kind.create(throughFile(state), taxonomy);
    for (const item of items) {
      const options = { limit: 10, minScore: 0 };
      expect(old.suggest(item, options)).toEqual(current.suggest(item, options));
    }
  });
});
