// Model files written by older tagsmiths still load and suggest as they did (registries keep such models in
// production): a combiner with fewer features gets weight 0 for the newer ones, and a dense co-occurrence matrix is
// made sparse at load.

import { beforeAll, describe, expect, it } from "vitest";
import type { ContentItem } from "../../src/data/index.js";
import { decodeModel, encodeModel } from "../../src/model/index.js";
import {
  type EnsembleState,
  FEATURES,
  type StoredEnsembleState,
} from "../../src/taggers/ensemble.js";
import { TAGGER_KINDS, type TaggerKind } from "../../src/taggers/index.js";
import type { Taxonomy } from "../../src/taxonomy/index.js";
import { trainingItems, trainTagger } from "../../src/train/train.js";
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

describe("an ensemble trained with one feature fewer", () => {
  it("suggests as the same model with a zero weight for the newest feature", () => {
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

  it("is refused when it has more weights than this tagsmith has features", () => {
    const combiner = state.combiner;
    if (!combiner) throw new Error("the sample ensemble has no combiner");
    expect(() =>
      kind.create(
        { ...state, combiner: { ...combiner, weights: [...combiner.weights, 1] } },
        taxonomy,
      ),
    ).toThrow(/features/);
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
