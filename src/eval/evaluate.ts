// Scoring a tagger on gold data: the eval report (`tagsmith eval --json`), computed the same way for every tagger.

import { contentText } from "../data/index.js";
import { TagsmithError } from "../errors.js";
import {
  boundInput,
  type Tagger,
  TagMatcher,
  type TrainingItem,
  withHalfChosen,
} from "../taggers/index.js";
import type { Taxonomy } from "../taxonomy/index.js";
import { words } from "../text/index.js";
import {
  type AtK,
  atK,
  type GroupScores,
  groupScores,
  macroScores,
  ndcgAtK,
  type PRF,
  perTagScores,
  type ScoredCase,
  type SuggestedScores,
  singleLabelScores,
  someCases,
  suggestedScores,
  type TagScores,
} from "./metrics.js";

/** A slice's scores: null when no item is in it. */
export interface SliceScores extends GroupScores<PRF> {
  n_docs: number;
}

export interface EvalReport {
  n_docs: number;
  limit: number;
  suggested: SuggestedScores;
  at_k: Record<"1" | "3" | "5", { precision: number; recall: number }>;
  ndcg_at_5: number;
  macro: PRF;
  per_tag: Record<string, TagScores>;
  slices: Record<string, SliceScores>;
  single_label?: { accuracy: number; weighted_f1: number };
  /**
   * The editor's case: items with 2+ gold tags, a seeded random half of them already chosen by the author (passed as
   * `exclude`); scores of finding the rest, pooled over `draws` draws of the chosen half. `n_docs`: the items scored
   * in at least one draw, and the scores null when there is none (no item has 2 or more gold tags). Multi-label data
   * only.
   */
  with_chosen?: {
    n_docs: number;
    draws: number;
    suggested: GroupScores<PRF>;
    at_5: GroupScores<AtK>;
  };
}

/**
 * Which gold tags count as already chosen in with_chosen: fixed seeds, so every tagger and every run is scored alike;
 * five draws, because one draw moves recall@5 by up to 0.03 on 150 items.
 */
const CHOSEN_SEEDS = [1, 2, 3, 4, 5];

/** Fewer words than this is a "short" text. */
const SHORT_TEXT_WORDS = 7;
const RANKING_DEPTH = 10;

export interface EvaluatedItem {
  item: TrainingItem;
  case: ScoredCase;
  /** Suggestion scores of the ranking, for threshold curves. */
  scores: number[];
}

/** Runs the tagger over the items: what it suggests (its own thresholds, at most `limit`) and its ranking. */
export function runTagger(
  tagger: Tagger,
  items: readonly TrainingItem[],
  limit: number,
): EvaluatedItem[] {
  return items.map((item) => {
    const ranking = tagger.suggest(item, { limit: Math.max(limit, RANKING_DEPTH), minScore: 0 });
    const suggested = tagger.suggest(item, { limit });
    return {
      item,
      case: {
        gold: item.gold,
        suggested: suggested.map((s) => s.tag),
        ranking: ranking.map((s) => s.tag),
      },
      scores: ranking.map((s) => s.score),
    };
  });
}

const SLICES = ["short_text", "all_explicit", "has_implicit"] as const;
type SliceName = (typeof SLICES)[number];

/**
 * Named slices: short texts, items whose gold tags are all named in the text, items with an implied gold tag. Of the
 * text cut as taggers read it: a tag named only past the cut is not explicit to them.
 */
export function sliceOf(item: TrainingItem, matcher: TagMatcher): SliceName[] {
  const slices: SliceName[] = [];
  const text = boundInput(item);
  if (words(contentText(text)).length < SHORT_TEXT_WORDS) slices.push("short_text");
  const explicit = new Set(matcher.match(text).map((m) => m.tag));
  // A gold tag is explicit when named in the text; an ancestor of a named tag is implicit.
  const implicit = item.gold.filter((tag) => !explicit.has(tag));
  slices.push(implicit.length === 0 ? "all_explicit" : "has_implicit");
  return slices;
}

/** How many suggestions per item a model is scored at, and whether as a single-label classifier. */
export interface ScoringPlan {
  limit: number;
  singleLabel: boolean;
}

/**
 * The one rule for every score (eval, the gate, benchmark, training's held-out): single-label data or a single-label
 * model is scored at one suggestion per item, with accuracy and weighted F1 (one tag is right per item, so a second
 * can only lower precision); anything else at `limit`.
 */
export function scoringPlan(limit: number, ...labelModes: ("multi" | "single")[]): ScoringPlan {
  const singleLabel = labelModes.includes("single");
  return { limit: singleLabel ? 1 : limit, singleLabel };
}

/** Scores the tagger on the items; no item is refused (every caller checks first, to say which data had none). */
export function evaluate(
  tagger: Tagger,
  items: readonly TrainingItem[],
  taxonomy: Taxonomy,
  options: { limit: number; singleLabel?: boolean },
): EvalReport & { evaluated: EvaluatedItem[] } {
  const evaluated = runTagger(tagger, items, options.limit);
  const cases = evaluated.map((e) => e.case);
  if (!someCases(cases)) throw new TagsmithError("invalid_input", "there is no item to score");
  const perTag = perTagScores(cases);
  const matcher = new TagMatcher(taxonomy);
  const bySlice = new Map<SliceName, ScoredCase[]>(SLICES.map((name) => [name, []]));
  for (const e of evaluated) {
    for (const slice of sliceOf(e.item, matcher)) bySlice.get(slice)?.push(e.case);
  }
  const slices: Record<string, SliceScores> = {};
  for (const name of SLICES) {
    const sliceCases = bySlice.get(name) ?? [];
    slices[name] = { ...groupScores(sliceCases), n_docs: sliceCases.length };
  }
  const report: EvalReport & { evaluated: EvaluatedItem[] } = {
    n_docs: items.length,
    limit: options.limit,
    suggested: suggestedScores(cases),
    at_k: { "1": atK(cases, 1), "3": atK(cases, 3), "5": atK(cases, 5) },
    ndcg_at_5: ndcgAtK(cases, 5),
    macro: macroScores(perTag),
    per_tag: perTag,
    slices,
    evaluated,
  };
  if (options.singleLabel) {
    report.single_label = singleLabelScores(singleLabelCases(cases));
  } else {
    report.with_chosen = withChosenScores(tagger, items, options.limit);
  }
  return report;
}

/** Each item's first gold tag and its top-ranked tag: what single-label scores and the confusion table count. */
export const singleLabelCases = (cases: readonly ScoredCase[]) =>
  cases.map((c) => ({ gold: c.gold[0], predicted: c.ranking[0] }));

/**
 * A report with its data's items that had no approved tag counted, `n_unscored` beside `n_docs`: as `eval --json`
 * prints it and training's metrics.json records it (of the held-out items).
 */
export function withUnscored<R extends { n_docs: number }>(
  report: R,
  unscored: number,
): { n_docs: number; n_unscored: number } & Omit<R, "n_docs"> {
  const { n_docs, ...rest } = report;
  return { n_docs, n_unscored: unscored, ...rest };
}

/** Scores of finding the rest of each item's gold tags when a seeded half of them is chosen (see with_chosen). */
export function withChosenScores(
  tagger: Tagger,
  items: readonly TrainingItem[],
  limit: number,
): NonNullable<EvalReport["with_chosen"]> {
  const scored = new Set<TrainingItem>();
  const cases: ScoredCase[] = CHOSEN_SEEDS.flatMap((seed) =>
    withHalfChosen(items, seed).map(({ item, chosen, rest }) => {
      scored.add(item);
      const exclude = [...chosen];
      return {
        gold: [...rest],
        suggested: tagger.suggest(item, { limit, exclude }).map((s) => s.tag),
        ranking: tagger.suggest(item, { limit: 5, minScore: 0, exclude }).map((s) => s.tag),
      };
    }),
  );
  return {
    n_docs: scored.size,
    draws: CHOSEN_SEEDS.length,
    suggested: groupScores(cases),
    at_5: someCases(cases) ? atK(cases, 5) : { precision: null, recall: null },
  };
}
