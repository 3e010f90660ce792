// The keyword tagger: how often training items containing a word (or word pair) carry a tag, P(tag | keyword),
// smoothed towards the tag's overall frequency. Words learned from data rather than names from the taxonomy: "yolo"
// implies object-detection, "bert" natural-language-processing.

import { WordGramIndex } from "../features/index.js";
import { tokenize } from "../text/index.js";
import { boundInput, type TokenizedInput, tokenizeInput, trainedKeys } from "./input.js";
import type { TaggerOptions } from "./options.js";
import type { ContentInput, Suggestion } from "./suggestion.js";
import type { TrainingItem } from "./tagger.js";
import { thresholdedKind } from "./thresholded.js";
import { trainingTags } from "./training-tags.js";

export interface KeywordConfig {
  /** Keywords in fewer training items are not used. */
  minCount: number;
  /** Keywords in more than this share of training items ("the", "learning") say little and cost the most. */
  maxShare: number;
  /** Pseudo-count pulling P(tag | keyword) towards the tag's prior: keywords seen rarely count for less. */
  smoothing: number;
}

// Keywords in over 10% of items are left out: same ensemble scores on rolling time splits, a third less work.
export const DEFAULT_KEYWORDS: KeywordConfig = { minCount: 3, maxShare: 0.1, smoothing: 2 };

export function keywordConfig(options: TaggerOptions["keywords"] = {}): KeywordConfig {
  return { ...DEFAULT_KEYWORDS, ...options };
}

export interface KeywordState {
  config: KeywordConfig;
  tags: string[];
  /** Share of training items with each tag. */
  prior: Float32Array;
  /** Keywords, sorted; for keyword w, its tags and hit counts are tagIds/hits[offsets[w] .. offsets[w + 1]). */
  keywords: string[];
  itemsWithKeyword: Int32Array;
  offsets: Int32Array;
  tagIds: Int32Array;
  hits: Int32Array;
  threshold: number;
}

/** Folded words and adjacent word pairs of a text, each once. */
export function keywordsOf(content: ContentInput): Set<string> {
  const { title, description } = boundInput(content);
  const out = new Set<string>();
  for (const text of [title, description]) {
    const keys = tokenize(text).map((t) => t.key);
    for (let i = 0; i < keys.length; i++) {
      out.add(keys[i]);
      if (i + 1 < keys.length) out.add(`${keys[i]} ${keys[i + 1]}`);
    }
  }
  return out;
}

export interface KeywordScores {
  /** Per tag index: the strongest keyword's P(tag | keyword); 0 when no keyword of the text has the tag. */
  best: Float64Array;
  /** Per tag index: 1 - prod(1 - P(tag | keyword)) over the text's keywords (a noisy-or); 0 as for best. */
  noisyOr: Float64Array;
}

export class KeywordModel {
  /** Keywords as word n-grams, valued by their index: found without building the pairs' strings. */
  private readonly keywordIndex: WordGramIndex;
  /**
   * P(tag | keyword) of each (keyword, tag) entry, smoothed: computed once here rather than per entry per text (the
   * same expression, so the same bits).
   */
  private readonly probability: Float64Array;
  /** Per keyword, zero between calls (scores is synchronous and resets what it marked): no allocation per text. */
  private readonly seen: Uint8Array;

  constructor(readonly state: KeywordState) {
    this.keywordIndex = new WordGramIndex(state.keywords.map((k, i) => [k, i] as const));
    const { prior, itemsWithKeyword, offsets, tagIds, hits, config } = state;
    this.probability = new Float64Array(tagIds.length);
    this.seen = new Uint8Array(state.keywords.length);
    for (let w = 0; w < state.keywords.length; w++) {
      const n = itemsWithKeyword[w];
      for (let k = offsets[w]; k < offsets[w + 1]; k++) {
        this.probability[k] =
          (hits[k] + config.smoothing * prior[tagIds[k]]) / (n + config.smoothing);
      }
    }
  }

  scores(content: ContentInput | TokenizedInput): KeywordScores {
    const { offsets, tagIds, tags } = this.state;
    const { probability } = this;
    const input = tokenizeInput(content);
    // Dense per-tag accumulators: common words co-occur with most tags, so maps would be the hot spot. One buffer for
    // both: a typed array over 64 bytes costs an off-heap allocation (about 1 us).
    const buffer = new ArrayBuffer(tags.length * 16);
    const best = new Float64Array(buffer, 0, tags.length);
    const miss = new Float64Array(buffer, tags.length * 8, tags.length).fill(1);
    // Each keyword once, in the order keywordsOf gives them (title then description; a word, then the pair it
    // starts): the noisy-or multiplies in that order, so the scores stay the same to the last bit.
    const { seen } = this;
    const visited: number[] = [];
    const visit = (w: number) => {
      if (seen[w] === 0) {
        seen[w] = 1;
        visited.push(w);
      }
    };
    // Each field's words as training counted them (normalised at load), so ﬁ and ½ find what fi and 1/2 did.
    this.keywordIndex.forEachGram(trainedKeys(input.title, input.titleTokens), 1, 2, visit);
    this.keywordIndex.forEachGram(
      trainedKeys(input.description, input.descriptionTokens),
      1,
      2,
      visit,
    );
    // Accumulated here, not in the visitor: a loop over locals is several times faster than one in a closure.
    for (const w of visited) {
      seen[w] = 0;
      const end = offsets[w + 1];
      for (let k = offsets[w]; k < end; k++) {
        const t = tagIds[k];
        const p = probability[k];
        if (p > best[t]) best[t] = p;
        miss[t] *= 1 - p;
      }
    }
    // A tag no keyword reached still has miss 1, so its noisy-or is 1 - 1 = 0, like its best.
    for (let t = 0; t < tags.length; t++) miss[t] = 1 - miss[t];
    return { best, noisyOr: miss };
  }

  ranked(content: ContentInput): Suggestion[] {
    const { best } = this.scores(content);
    const out: Suggestion[] = [];
    for (let t = 0; t < best.length; t++) {
      if (best[t] !== 0) out.push({ tag: this.state.tags[t], score: best[t], source: "implicit" });
    }
    return out;
  }
}

export function trainKeywordModel(
  items: readonly TrainingItem[],
  config: KeywordConfig = DEFAULT_KEYWORDS,
): KeywordState {
  const { tags, itemTags } = trainingTags(items);
  const prior = new Float32Array(tags.length);
  const perKeyword = new Map<string, { items: number; hits: Map<number, number> }>();
  items.forEach((item, i) => {
    const gold = itemTags[i];
    for (const t of gold) prior[t] += 1 / items.length;
    for (const keyword of keywordsOf(item)) {
      let entry = perKeyword.get(keyword);
      if (!entry) {
        entry = { items: 0, hits: new Map() };
        perKeyword.set(keyword, entry);
      }
      entry.items++;
      for (const t of gold) entry.hits.set(t, (entry.hits.get(t) ?? 0) + 1);
    }
  });
  const keywords = [...perKeyword.keys()]
    .filter((k) => {
      const n = perKeyword.get(k)?.items ?? 0;
      return n >= config.minCount && n <= config.maxShare * items.length;
    })
    .sort();
  const offsets = new Int32Array(keywords.length + 1);
  const tagIds: number[] = [];
  const hits: number[] = [];
  const itemsWithKeyword = new Int32Array(keywords.length);
  keywords.forEach((keyword, w) => {
    const entry = perKeyword.get(keyword) as { items: number; hits: Map<number, number> };
    itemsWithKeyword[w] = entry.items;
    for (const [t, h] of [...entry.hits].sort(([a], [b]) => a - b)) {
      tagIds.push(t);
      hits.push(h);
    }
    offsets[w + 1] = tagIds.length;
  });
  return {
    config,
    tags,
    prior,
    keywords,
    itemsWithKeyword,
    offsets,
    tagIds: Int32Array.from(tagIds),
    hits: Int32Array.from(hits),
    threshold: 0.5,
  };
}

export const keywords = thresholdedKind({
  name: "keywords",
  summary: "tags of the text's words and word pairs by P(tag | keyword) in training",
  train: async (items, context) =>
    trainKeywordModel(items, keywordConfig(context.options?.keywords)),
  model: (state: KeywordState) => new KeywordModel(state),
});
