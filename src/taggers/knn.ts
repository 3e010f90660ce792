// The nearest-neighbour tagger: tags of the most similar training items (cosine over word TF-IDF), weighted by
// similarity. It recalls rare tags a linear model has too few examples to learn.

import { rowsToMatrix, type SparseMatrix, type SparseVector } from "../features/sparse.js";
import {
  fitVectorizer,
  Vectorizer,
  type VectorizerConfig,
  type VectorizerState,
} from "../features/tfidf.js";
import { learnedText, topIndices } from "./linear.js";
import type { TaggerOptions } from "./options.js";
import type { ContentInput, Suggestion } from "./suggestion.js";
import type { TrainingItem } from "./tagger.js";
import { thresholdedKind } from "./thresholded.js";

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

  constructor(readonly state: KnnState) {
    this.vectorizer = new Vectorizer(state.vectorizer);
    const { items } = state;
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
    const similarity = new Float32Array(this.state.items.rows);
    for (let q = 0; q < vector.indices.length; q++) {
      const f = vector.indices[q];
      const x = vector.values[q];
      for (let p = this.postingOffsets[f]; p < this.postingOffsets[f + 1]; p++) {
        similarity[this.postingItems[p]] += x * this.postingValues[p];
      }
    }
    return topIndices(similarity, k)
      .filter((item) => similarity[item] > 0)
      .map((item) => ({ item, similarity: similarity[item] }));
  }

  /** Each tag's share of the neighbours' similarity, as implicit suggestions. */
  ranked(content: ContentInput): Suggestion[] {
    const near = this.neighbours(
      this.vectorizer.transform(learnedText(content)),
      this.state.config.neighbours,
    );
    const total = near.reduce((s, n) => s + n.similarity, 0);
    if (total === 0) return [];
    const scores = new Map<number, number>();
    const { labelOffsets, labels, tags } = this.state;
    for (const { item, similarity } of near) {
      for (let k = labelOffsets[item]; k < labelOffsets[item + 1]; k++) {
        scores.set(labels[k], (scores.get(labels[k]) ?? 0) + similarity / total);
      }
    }
    return [...scores].map(([t, score]) => ({ tag: tags[t], score, source: "implicit" as const }));
  }
}

export function trainKnnModel(
  items: readonly TrainingItem[],
  config: KnnConfig = DEFAULT_KNN,
): KnnState {
  const texts = items.map(learnedText);
  const vectorizer = fitVectorizer(texts, config.vectorizer);
  const tags = [...new Set(items.flatMap((i) => i.gold))].sort();
  const tagIndex = new Map(tags.map((t, i) => [t, i]));
  const labelOffsets = new Int32Array(items.length + 1);
  items.forEach((item, i) => {
    labelOffsets[i + 1] = labelOffsets[i] + item.gold.length;
  });
  const labels = Int32Array.from(
    items.flatMap((item) => item.gold.map((t) => tagIndex.get(t) as number)),
  );
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
  summary: "tags of the 20 most similar training items (cosine over word TF-IDF)",
  train: async (items, context) => trainKnnModel(items, knnConfig(context.options?.knn)),
  model: (state: KnnState) => new KnnModel(state),
});
