// The nearest-neighbour tagger: tags of the most similar training items (cosine over word TF-IDF), weighted by
// similarity. It recalls rare tags a linear model has too few examples to learn.

import {
  fitVectorizer,
  rowsToMatrix,
  type SparseMatrix,
  type SparseVector,
  Vectorizer,
  type VectorizerConfig,
  type VectorizerState,
} from "../features/index.js";
import { type LearnedInput, learnedInput, learnedText, learnedVector } from "./input.js";
import type { TaggerOptions } from "./options.js";
import type { ContentInput, Suggestion } from "./suggestion.js";
import type { TrainingItem } from "./tagger.js";
import { thresholdedKind } from "./thresholded.js";
import { topK, topKAbove } from "./top-k.js";
import { trainingTags } from "./training-tags.js";

export interface KnnConfig {
  vectorizer: VectorizerConfig;
  neighbours: number;
}

export const DEFAULT_KNN: KnnConfig = {
  // Words in over 10% of items are left out of the index: they cost the most to look up and barely move similarity
  // (recall@5 unchanged on the benchmark split).
  vectorizer: { words: { min: 1, max: 2, minDf: 1, maxDf: 0.1 }, chars: null, sublinearTf: true },
  neighbours: 20,
};

export function knnConfig(options: TaggerOptions["knn"] = {}): KnnConfig {
  return {
    vectorizer: {
      ...DEFAULT_KNN.vectorizer,
      ...(options.words !== undefined ? { words: options.words } : {}),
      ...(options.chars !== undefined ? { chars: options.chars } : {}),
    },
    neighbours: options.neighbours ?? DEFAULT_KNN.neighbours,
  };
}

export interface KnnState {
  config: KnnConfig;
  vectorizer: VectorizerState;
  /** Training items' vectors, one row each. */
  items: SparseMatrix;
  tags: string[];
  /** Tag indices of each training item: labelOffsets[i] .. labelOffsets[i + 1] in labels. */
  labelOffsets: Int32Array;
  labels: Int32Array;
  threshold: number;
}

export class KnnModel {
  readonly vectorizer: Vectorizer;
  /** Inverted index: for each feature, the items containing it and the value there. */
  private readonly postingOffsets: Int32Array;
  private readonly postingItems: Int32Array;
  private readonly postingValues: Float32Array;
  /** Per item, zero between calls (neighbours is synchronous and resets what it touched): no allocation per text. */
  private readonly similarity: Float32Array;
  private readonly isReached: Uint8Array;

  constructor(readonly state: KnnState) {
    this.vectorizer = new Vectorizer(state.vectorizer);
    const { items } = state;
    this.similarity = new Float32Array(items.rows);
    this.isReached = new Uint8Array(items.rows);
    const counts = new Int32Array(items.columns + 1);
    for (let k = 0; k < items.indices.length; k++) counts[items.indices[k] + 1]++;
    for (let f = 0; f < items.columns; f++) counts[f + 1] += counts[f];
    this.postingOffsets = counts.slice();
    this.postingItems = new Int32Array(items.indices.length);
    this.postingValues = new Float32Array(items.indices.length);
    const next = counts.slice();
    for (let i = 0; i < items.rows; i++) {
      for (let k = items.offsets[i]; k < items.offsets[i + 1]; k++) {
        const at = next[items.indices[k]]++;
        this.postingItems[at] = i;
        this.postingValues[at] = items.values[k];
      }
    }
  }

  /** The k most similar training items with their cosine similarity, most similar first (ties: lower index). */
  neighbours(vector: SparseVector, k: number): { item: number; similarity: number }[] {
    const { similarity, isReached } = this;
    // The items sharing a term with the text (a fifth of them, typically): only those can be neighbours, and ranking
    // just them is twice as fast as scanning every item for a positive similarity.
    const reached: number[] = [];
    for (let q = 0; q < vector.indices.length; q++) {
      const f = vector.indices[q];
      const x = vector.values[q];
      const end = this.postingOffsets[f + 1];
      for (let p = this.postingOffsets[f]; p < end; p++) {
        const item = this.postingItems[p];
        if (isReached[item] === 0) {
          isReached[item] = 1;
          reached.push(item);
        }
        similarity[item] += x * this.postingValues[p];
      }
    }
    // Only items of positive similarity are neighbours.
    const near = topKAbove(similarity, k, reached, 0).map((item) => ({
      item,
      similarity: similarity[item],
    }));
    for (const item of reached) {
      similarity[item] = 0;
      isReached[item] = 0;
    }
    return near;
  }

  /** Each tag's share of the neighbours' similarity, per tag index, and the tags with a share by first neighbour. */
  tagScores(input: LearnedInput): KnnTagScores {
    const near = this.neighbours(
      learnedVector(this.vectorizer, input),
      this.state.config.neighbours,
    );
    const { labelOffsets, labels, tags } = this.state;
    const scores = new Float64Array(tags.length);
    const order: number[] = [];
    const total = near.reduce((s, n) => s + n.similarity, 0);
    if (total === 0) return { scores, order };
    for (const { item, similarity } of near) {
      for (let k = labelOffsets[item]; k < labelOffsets[item + 1]; k++) {
        const t = labels[k];
        if (scores[t] === 0) order.push(t);
        scores[t] += similarity;
      }
    }
    // Divided once: a share summed from shares could round past 1 (1.0000000000000002 when every neighbour has the
    // tag); a sum of some of the similarities, added in the same order as the total, cannot pass it.
    for (const t of order) scores[t] /= total;
    return { scores, order };
  }

  /** Each tag's share of the neighbours' similarity, as implicit suggestions (in order of first neighbour). */
  ranked(content: ContentInput): Suggestion[] {
    const { scores, order } = this.tagScores(learnedInput(content));
    const { tags } = this.state;
    return order.map((t) => ({ tag: tags[t], score: scores[t], source: "implicit" as const }));
  }
}

export interface KnnTagScores {
  /** Per tag index (state.tags): the tag's share of the neighbours' similarity; 0 for tags no neighbour has. */
  scores: Float64Array;
  /** Tags with a share, in order of the first neighbour carrying each. */
  order: number[];
}

/**
 * The k tags with the largest share, largest first; ties keep `order`'s order, as a stable sort would. Selected by
 * position in `order` rather than sorted: 1.5 us a suggestion instead of 2.5.
 */
export function bestTags({ scores, order }: KnnTagScores, k: number): number[] {
  const byPosition = new Float64Array(order.length);
  for (let q = 0; q < order.length; q++) byPosition[q] = scores[order[q]];
  return topK(byPosition, k).map((q) => order[q]);
}

export function trainKnnModel(
  items: readonly TrainingItem[],
  config: KnnConfig = DEFAULT_KNN,
): KnnState {
  const texts = items.map(learnedText);
  const vectorizer = fitVectorizer(texts, config.vectorizer);
  const { tags, itemTags } = trainingTags(items);
  const labelOffsets = new Int32Array(items.length + 1);
  itemTags.forEach((labels, i) => {
    labelOffsets[i + 1] = labelOffsets[i] + labels.length;
  });
  const labels = Int32Array.from(itemTags.flat());
  return {
    config,
    vectorizer: vectorizer.state,
    items: rowsToMatrix(
      texts.map((t) => vectorizer.transform(t)),
      vectorizer.size,
    ),
    tags,
    labelOffsets,
    labels,
    threshold: 0.5,
  };
}

export const knn = thresholdedKind({
  name: "knn",
  summary: `tags of the ${DEFAULT_KNN.neighbours} most similar training items by default (option knn.neighbours), by cosine over word TF-IDF`,
  train: async (items, context) => trainKnnModel(items, knnConfig(context.options?.knn)),
  model: (state: KnnState) => new KnnModel(state),
});
