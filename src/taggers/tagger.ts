// The one interface every tagger implements, and the contract they all keep (checked by contract.test.ts).

import type { Taxonomy } from "../taxonomy/index.js";
import { byCodeUnit } from "../text/index.js";
import type { TaggerOptions } from "./options.js";
import type { ContentInput, Suggestion } from "./suggestion.js";

export interface SuggestOptions {
  /** At most this many suggestions (default 5). */
  limit?: number;
  /** Only suggestions scoring at least this (default: the tagger's tuned threshold; 0 gives the whole ranking). */
  minScore?: number;
  /** Tags the author already chose, by name or alias, in any case: never suggested. */
  exclude?: readonly string[];
}

export const DEFAULT_LIMIT = 5;

/**
 * Evidence spans kept per suggestion: the first occurrences, title before description. A tag named over and over in
 * a long text would otherwise carry thousands of spans (a 165 kB answer) that show nothing the first few do not.
 * Cut here, after candidates are scored, so models still see every match and the CLI and HTTP API show the same.
 */
export const MAX_EVIDENCE_SPANS = 5;

export interface Tagger {
  readonly name: string;
  /** Approved tags only, at most `limit`, none in `exclude`, best first; the same output for the same input. */
  suggest(content: ContentInput, options?: SuggestOptions): Suggestion[];
}

/**
 * The last step of every tagger: keeps approved tags the author has not chosen, one suggestion per tag (the best),
 * sorted by score then name, cut to the limit, each with at most MAX_EVIDENCE_SPANS evidence spans. Taggers produce
 * candidates; this keeps the contract in one place.
 */
export function finalizeSuggestions(
  candidates: Iterable<Suggestion>,
  taxonomy: Taxonomy,
  options: SuggestOptions = {},
): Suggestion[] {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const minScore = options.minScore ?? 0;
  const excluded = excludedTags(taxonomy, options.exclude);
  const best = new Map<string, Suggestion>();
  for (const candidate of candidates) {
    // Written so a NaN score (a model that learned nothing) is dropped, never suggested.
    if (
      !(candidate.score >= minScore) ||
      !taxonomy.isApproved(candidate.tag) ||
      excluded.has(candidate.tag)
    )
      continue;
    const current = best.get(candidate.tag);
    if (!current || candidate.score > current.score) best.set(candidate.tag, candidate);
  }
  return [...best.values()]
    .sort(bestFirst)
    .slice(0, Math.max(0, limit))
    .map((s) =>
      s.evidence && s.evidence.length > MAX_EVIDENCE_SPANS
        ? { ...s, evidence: s.evidence.slice(0, MAX_EVIDENCE_SPANS) }
        : s,
    );
}

/**
 * The order of every ranking, as suggested and as tuned: higher score first, ties by tag name (by code unit), so the
 * top `limit` a threshold is tuned on are the ones the tagger will show.
 */
export function bestFirst(a: RankedTag, b: RankedTag): number {
  return b.score - a.score || byCodeUnit(a.tag, b.tag);
}

type RankedTag = Pick<Suggestion, "tag" | "score">;

/** The approved tags an author's chosen tags stand for (through aliases and case), plus the names as given. */
export function excludedTags(taxonomy: Taxonomy, chosen: readonly string[] = []): Set<string> {
  const out = new Set<string>();
  for (const name of chosen) {
    out.add(name);
    const tag = taxonomy.resolve(name);
    if (tag) out.add(tag);
  }
  return out;
}

/** The approved tags among excludedTags: the chosen tags a model can take as evidence. */
export function chosenApprovedTags(
  taxonomy: Taxonomy,
  chosen: readonly string[] = [],
): Set<string> {
  const out = new Set<string>();
  for (const tag of excludedTags(taxonomy, chosen)) if (taxonomy.isApproved(tag)) out.add(tag);
  return out;
}

/** A labeled item as training sees it: text and gold labels. */
export interface TrainingItem {
  title: string;
  description: string;
  gold: readonly string[];
  /** When it was created, if known (created_on as given): which items are the newest. */
  createdOn?: string | null;
}

export interface TrainContext {
  taxonomy: Taxonomy;
  seed: number;
  /** Threads available for training. */
  workers: number;
  /** Per-tagger options; each tagger fills in its defaults. */
  options?: TaggerOptions;
  /** Called as training advances, for progress bars. */
  progress?: (stage: string, done: number, total: number) => void;
}

/**
 * A kind of tagger, found by name: how to train one, tune it on held-out items, and build it from its state.
 * State is plain JSON plus typed arrays, so the model format can store any kind.
 */
export interface TaggerKind<State = unknown, Tuning = unknown> {
  readonly name: string;
  readonly summary: string;
  train(items: readonly TrainingItem[], context: TrainContext): Promise<State>;
  /** Parameters chosen on held-out items (thresholds, combination weights) with a tagger trained without them. */
  tune?(state: State, heldOut: readonly TrainingItem[], context: TrainContext): Promise<Tuning>;
  /** The state with tuned parameters applied, e.g. to a model refitted on all items. */
  applyTuning?(state: State, tuning: Tuning): State;
  create(state: State, taxonomy: Taxonomy): Tagger;
}
