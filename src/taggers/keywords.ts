// The keyword tagger: how often training items containing a word (or word pair) carry a tag, P(tag | keyword),
// smoothed towards the tag's overall frequency. Words learned from data rather than names from the taxonomy: "yolo"
// implies object-detection, "bert" natural-language-processing.

import { tokenize } from "../text/index.js";
import { boundInput } from "./input.js";
import type { TaggerOptions } from "./options.js";
import type { ContentInput, Suggestion } from "./suggestion.js";
import type { TrainingItem } from "./tagger.js";
import { thresholdedKind } from "./thresholded.js";

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
  /** Per tag index: the strongest keyword's P(tag | keyword). */
  best: Map<number, number>;
  /** Per tag index: 1 - prod(1 - P(tag | keyword)) over the text's keywords (a noisy-or). */
  noisyOr: Map<number, number>;
}

export class KeywordModel {
  private readonly keywordIndex: Map<string, number>;

  constructor(readonly state: KeywordState) {
    this.keywordIndex = new Map(state.keywords.map((k, i) => [k, i]));
  }

  scores(content: ContentInput): KeywordScores {
    const { prior, itemsWithKeyword, offsets, tagIds, hits, config, tags } = this.state;
    // Dense per-tag accumulators: common words co-occur with most tags, so maps would be the hot spot.
    const best = new Float64Array(tags.length);
    const miss = new Float64Array(tags.length).fill(1);
    for (const keyword of keywordsOf(content)) {
      const w = this.keywordIndex.get(keyword);
      if (w === undefined) continue;
      const n = itemsWithKeyword[w];
      for (let k = offsets[w]; k < offsets[w + 1]; k++) {
        const t = tagIds[k];
        const p = (hits[k] + config.smoothing * prior[t]) / (n + config.smoothing);
        if (p > best[t]) best[t] = p;
        miss[t] *= 1 - p;
      }
    }
    const out: KeywordScores = { best: new Map(), noisyOr: new Map() };
    for (let t = 0; t < tags.length; t++) {
      if (best[t] === 0) continue;
      out.best.set(t, best[t]);
      out.noisyOr.set(t, 1 - miss[t]);
    }
    return out;
  }

  ranked(content: ContentInput): Suggestion[] {
    const { best } = this.scores(content);
    return [...best].map(([t, score]) => ({
      tag: this.state.tags[t],
      score,
      source: "implicit" as const,
    }));
  }
}

export function trainKeywordModel(
  items: readonly TrainingItem[],
  config: KeywordConfig = DEFAULT_KEYWORDS,
): KeywordState {
  const tags = [...new Set(items.flatMap((i) => i.gold))].sort();
  const tagIndex = new Map(tags.map((t, i) => [t, i]));
  const prior = new Float32Array(tags.length);
  const perKeyword = new Map<string, { items: number; hits: Map<number, number> }>();
  for (const item of items) {
    const gold = item.gold.map((t) => tagIndex.get(t) as number);
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
  }
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
