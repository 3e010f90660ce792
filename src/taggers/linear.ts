// The learned linear tagger: TF-IDF word and character n-grams, one logistic regression per tag (one-vs-rest).
// Tags it suggests are implicit: learned from labeled content, whether or not the text names them.

import {
  DEFAULT_VECTORIZER,
  fitVectorizer,
  rowsToMatrix,
  type SparseVector,
  Vectorizer,
  type VectorizerConfig,
  type VectorizerState,
} from "../features/index.js";
import { DEFAULT_LOGISTIC, type LogisticConfig, sigmoid, trainOneVsRest } from "../learn/index.js";
import { type LearnedInput, learnedInput, learnedText, learnedVector } from "./input.js";
import type { TaggerOptions } from "./options.js";
import type { ContentInput, Suggestion } from "./suggestion.js";
import type { TrainingItem } from "./tagger.js";
import { thresholdedKind } from "./thresholded.js";
import { topK } from "./top-k.js";
import { trainingTags } from "./training-tags.js";

export interface LinearConfig {
  vectorizer: VectorizerConfig;
  logistic: LogisticConfig;
  /** Tags with fewer training items get no classifier. */
  minTagCount: number;
  /** Each feature keeps its weights for this many tags, those it weighs most (by absolute value). */
  tagsPerFeature: number;
}

export const DEFAULT_LINEAR: LinearConfig = {
  vectorizer: DEFAULT_VECTORIZER,
  logistic: DEFAULT_LOGISTIC,
  // As the reference systems do: tags on fewer than 5 training items get no classifier (the kNN and rules still
  // suggest them). Same ensemble scores as 3 on the benchmark split, with a third fewer classifiers to train and run.
  minTagCount: 5,
  // A feature is evidence for or against a few tags; the rest of its weights are near zero. Keeping its 16 largest
  // scores the same as all 163 (mean F1 0.610 vs 0.607, recall@5 0.649 vs 0.647 over three rolling time splits; 8
  // loses 0.01 recall@5) and makes the linear part of a suggestion 4x faster and its model 6x smaller.
  tagsPerFeature: 16,
};

/** The defaults with the given options applied. */
export function linearConfig(options: TaggerOptions["linear"] = {}): LinearConfig {
  const {
    C,
    balanced,
    epsilon,
    maxIterations,
    minTagCount,
    tagsPerFeature,
    words,
    chars,
    sublinearTf,
    naiveBayes,
  } = options;
  const pick = <T>(value: T | undefined, fallback: T) => (value === undefined ? fallback : value);
  return {
    vectorizer: {
      words: pick(words, DEFAULT_LINEAR.vectorizer.words),
      chars: pick(chars, DEFAULT_LINEAR.vectorizer.chars),
      sublinearTf: pick(sublinearTf, DEFAULT_LINEAR.vectorizer.sublinearTf),
    },
    logistic: {
      ...DEFAULT_LINEAR.logistic,
      C: pick(C, DEFAULT_LINEAR.logistic.C),
      balanced: pick(balanced, DEFAULT_LINEAR.logistic.balanced),
      epsilon: pick(epsilon, DEFAULT_LINEAR.logistic.epsilon),
      maxIterations: pick(maxIterations, DEFAULT_LINEAR.logistic.maxIterations),
      naiveBayes: pick(naiveBayes, DEFAULT_LINEAR.logistic.naiveBayes),
    },
    minTagCount: pick(minTagCount, DEFAULT_LINEAR.minTagCount),
    tagsPerFeature: pick(tagsPerFeature, DEFAULT_LINEAR.tagsPerFeature),
  };
}

export interface LinearState {
  vectorizer: VectorizerState;
  tags: string[];
  /**
   * Sparse feature-major weights: feature f weighs tags featureTags[k] by featureWeights[k] * scales[tag], for k in
   * featureOffsets[f] .. featureOffsets[f + 1]. Weights are quantised to 16 bits with a scale per tag.
   */
  featureOffsets: Int32Array;
  featureTags: Uint16Array;
  featureWeights: Int16Array;
  scales: Float32Array;
  intercepts: Float32Array;
  threshold: number;
}

/** Tags with at least `min` training items, sorted: the classes of a one-vs-rest model. */
export function frequentTags(items: readonly TrainingItem[], min: number): string[] {
  const { tags, counts } = trainingTags(items);
  return tags.filter((_, i) => counts[i] >= min);
}

export class LinearModel {
  readonly vectorizer: Vectorizer;
  /** Position of each tag in `state.tags` (and in probability arrays). */
  readonly classIndex: Map<string, number>;
  constructor(readonly state: LinearState) {
    this.vectorizer = new Vectorizer(state.vectorizer);
    this.classIndex = new Map(state.tags.map((tag, c) => [tag, c]));
  }

  /** Probabilities of every tag for a text, and the k most probable tags, best first. */
  score(
    input: LearnedInput,
    k: number,
  ): { probabilities: Float32Array; top: { tag: string; score: number }[] } {
    const probabilities = this.probabilities(learnedVector(this.vectorizer, input));
    const top = topK(probabilities, k).map((c) => ({
      tag: this.state.tags[c],
      score: probabilities[c],
    }));
    return { probabilities, top };
  }

  /** Probability of every tag in `state.tags` for a feature vector. */
  probabilities(vector: SparseVector): Float32Array {
    const { tags, featureOffsets, featureTags, featureWeights, scales, intercepts } = this.state;
    const classes = tags.length;
    const z = new Float32Array(classes);
    const { indices, values } = vector;
    for (let k = 0; k < indices.length; k++) {
      const f = indices[k];
      const x = values[k];
      // The bound in a local: V8 cannot tell the store into z leaves featureOffsets alone, so would reload it.
      const end = featureOffsets[f + 1];
      for (let j = featureOffsets[f]; j < end; j++) z[featureTags[j]] += featureWeights[j] * x;
    }
    for (let c = 0; c < classes; c++) z[c] = sigmoid(z[c] * scales[c] + intercepts[c]);
    return z;
  }

  /** Tags by probability, best first, as implicit suggestions. */
  ranked(content: ContentInput): Suggestion[] {
    const p = this.probabilities(learnedVector(this.vectorizer, learnedInput(content)));
    return this.state.tags.map((tag, c) => ({ tag, score: p[c], source: "implicit" as const }));
  }
}

/**
 * Quantises per-tag weight columns to int16 (a scale per tag) and keeps, for each feature, its `perFeature` largest
 * weights (by absolute value, ties to the lower tag index), laid out feature-major for scoring sparse vectors.
 */
export function sparsify(columns: readonly Float32Array[], features: number, perFeature: number) {
  const classes = columns.length;
  const scales = Float32Array.from(columns, (column) => {
    let max = 0;
    for (let f = 0; f < features; f++) max = Math.max(max, Math.abs(column[f]));
    return max > 0 ? max / 32767 : 1;
  });
  const keep = Math.min(perFeature, classes);
  const featureOffsets = new Int32Array(features + 1);
  const featureTags = new Uint16Array(features * keep);
  const featureWeights = new Int16Array(features * keep);
  // Per feature, each class's |weight|, for a selection of the largest rather than a sort of all: 0.1 s instead of
  // 0.45 s on Made With ML (163 tags, 20k features). The abs of a float32 is a float32: the order the weights give.
  const magnitude = new Float32Array(classes);
  let at = 0;
  for (let f = 0; f < features; f++) {
    for (let c = 0; c < classes; c++) magnitude[c] = Math.abs(columns[c][f]);
    for (const c of topK(magnitude, keep)) {
      const weight = Math.round(columns[c][f] / scales[c]);
      if (weight === 0) continue;
      featureTags[at] = c;
      featureWeights[at] = weight;
      at++;
    }
    featureOffsets[f + 1] = at;
  }
  return {
    featureOffsets,
    featureTags: featureTags.slice(0, at),
    featureWeights: featureWeights.slice(0, at),
    scales,
  };
}

export async function trainLinearModel(
  items: readonly TrainingItem[],
  config: LinearConfig,
  seed: number,
  workers: number,
  progress?: (stage: string, done: number, total: number) => void,
): Promise<LinearState> {
  const texts = items.map(learnedText);
  const vectorizer = fitVectorizer(texts, config.vectorizer);
  const x = rowsToMatrix(
    texts.map((t) => vectorizer.transform(t)),
    vectorizer.size,
  );
  const tags = frequentTags(items, config.minTagCount);
  const labels = tags.map((tag) =>
    Uint8Array.from(items, (item) => (item.gold.includes(tag) ? 1 : 0)),
  );
  const models = await trainOneVsRest(
    { x, labels, config: config.logistic, seed },
    workers,
    (done, total) => progress?.("linear: one-vs-rest", done, total),
  );
  const weights = sparsify(
    models.map((m) => m.weights),
    vectorizer.size,
    config.tagsPerFeature,
  );
  return {
    vectorizer: vectorizer.state,
    tags,
    ...weights,
    intercepts: Float32Array.from(models, (m) => m.intercept),
    threshold: 0.5,
  };
}

export const linear = thresholdedKind({
  name: "linear",
  summary: "TF-IDF word + char n-grams, one-vs-rest logistic regression",
  train: (items, context) =>
    trainLinearModel(
      items,
      linearConfig(context.options?.linear),
      context.seed,
      context.workers,
      context.progress,
    ),
  model: (state: LinearState) => new LinearModel(state),
});
