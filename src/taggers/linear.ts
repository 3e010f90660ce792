// The learned linear tagger: TF-IDF word and character n-grams, one logistic regression per tag (one-vs-rest).
// Tags it suggests are implicit: learned from labeled content, whether or not the text names them.

import { contentText } from "../data/content.js";
import { rowsToMatrix, type SparseVector } from "../features/sparse.js";
import {
  DEFAULT_VECTORIZER,
  fitVectorizer,
  Vectorizer,
  type VectorizerConfig,
  type VectorizerState,
} from "../features/tfidf.js";
import { DEFAULT_LOGISTIC, type LogisticConfig, sigmoid } from "../learn/logistic.js";
import { trainOneVsRest } from "../learn/one-vs-rest.js";
import { boundInput } from "./input.js";
import type { TaggerOptions } from "./options.js";
import type { ContentInput, Suggestion } from "./suggestion.js";
import type { TrainingItem } from "./tagger.js";
import { thresholdedKind } from "./thresholded.js";

export interface LinearConfig {
  vectorizer: VectorizerConfig;
  logistic: LogisticConfig;
  /** Tags with fewer training items get no classifier. */
  minTagCount: number;
}

export const DEFAULT_LINEAR: LinearConfig = {
  vectorizer: DEFAULT_VECTORIZER,
  logistic: DEFAULT_LOGISTIC,
  // As the reference systems do: tags on fewer than 5 training items get no classifier (the kNN and rules still
  // suggest them). Same ensemble scores as 3 on the benchmark split, with a third fewer classifiers to train and run.
  minTagCount: 5,
};

/** The defaults with the given options applied. */
export function linearConfig(options: TaggerOptions["linear"] = {}): LinearConfig {
  const { C, balanced, epsilon, maxIterations, minTagCount, words, chars, sublinearTf } = options;
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
    },
    minTagCount: pick(minTagCount, DEFAULT_LINEAR.minTagCount),
  };
}

export interface LinearState {
  vectorizer: VectorizerState;
  tags: string[];
  /** Feature-major weights, weights[feature * tags.length + tag], quantised to 16 bits with a scale per tag. */
  weights: Int16Array;
  scales: Float32Array;
  intercepts: Float32Array;
  threshold: number;
}

/** The text a learned tagger reads: title and description. */
export function learnedText(content: ContentInput): string {
  const { title, description } = boundInput(content);
  return contentText({ title, description });
}

/** Tags with at least `min` training items, sorted: the classes of a one-vs-rest model. */
export function frequentTags(items: readonly TrainingItem[], min: number): string[] {
  const counts = new Map<string, number>();
  for (const item of items)
    for (const tag of item.gold) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return [...counts]
    .filter(([, n]) => n >= min)
    .map(([tag]) => tag)
    .sort();
}

/** Indices of the k largest scores, largest first (ties: lower index first), without sorting them all. */
export function topIndices(scores: Float32Array, k: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i];
    if (best.length === k && score <= scores[best[k - 1]]) continue;
    let at = best.length < k ? best.length : k - 1;
    while (at > 0 && score > scores[best[at - 1]]) at--;
    best.splice(at, 0, i);
    if (best.length > k) best.pop();
  }
  return best;
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
    content: ContentInput,
    k: number,
  ): { probabilities: Float32Array; top: { tag: string; score: number }[] } {
    const probabilities = this.probabilities(this.vectorizer.transform(learnedText(content)));
    const top = topIndices(probabilities, k).map((c) => ({
      tag: this.state.tags[c],
      score: probabilities[c],
    }));
    return { probabilities, top };
  }

  /** Probability of every tag in `state.tags` for a feature vector. */
  probabilities(vector: SparseVector): Float32Array {
    const { tags, weights, scales, intercepts } = this.state;
    const classes = tags.length;
    const z = new Float32Array(classes);
    const { indices, values } = vector;
    for (let k = 0; k < indices.length; k++) {
      const base = indices[k] * classes;
      const x = values[k];
      for (let c = 0; c < classes; c++) z[c] += weights[base + c] * x;
    }
    for (let c = 0; c < classes; c++) z[c] = sigmoid(z[c] * scales[c] + intercepts[c]);
    return z;
  }

  /** Tags by probability, best first, as implicit suggestions. */
  ranked(content: ContentInput): Suggestion[] {
    const p = this.probabilities(this.vectorizer.transform(learnedText(content)));
    return this.state.tags.map((tag, c) => ({ tag, score: p[c], source: "implicit" as const }));
  }
}

/** Quantises per-tag weight columns to int16, laid out feature-major for fast scoring of sparse vectors. */
function quantise(columns: readonly Float32Array[], features: number) {
  const classes = columns.length;
  const weights = new Int16Array(features * classes);
  const scales = new Float32Array(classes);
  columns.forEach((column, c) => {
    let max = 0;
    for (let f = 0; f < features; f++) max = Math.max(max, Math.abs(column[f]));
    const scale = max > 0 ? max / 32767 : 1;
    scales[c] = scale;
    for (let f = 0; f < features; f++) weights[f * classes + c] = Math.round(column[f] / scale);
  });
  return { weights, scales };
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
  const { weights, scales } = quantise(
    models.map((m) => m.weights),
    vectorizer.size,
  );
  return {
    vectorizer: vectorizer.state,
    tags,
    weights,
    scales,
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
