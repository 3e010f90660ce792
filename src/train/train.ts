// Training a tagger the way it will be used: tune on held-out items (the newest when every item is dated) with a
// model that has not seen them, score that model (the held-out metrics), then refit on every item with the tuned
// parameters.

import { type ContentItem, labelsOf, randomSplit, timeSplit } from "../data/index.js";
import { TagsmithError } from "../errors.js";
import { type EvalReport, evaluate, type ScoringPlan, withUnscored } from "../eval/index.js";
import {
  forLabelMode,
  type Tagger,
  type TaggerKind,
  type TrainContext,
  type TrainingItem,
} from "../taggers/index.js";
import type { Taxonomy } from "../taxonomy/index.js";

export const HOLDOUT_RATIO = 0.15;
/** Fewer labeled items than this in any part of a split (fit, tune, test) cannot train, tune or score a model. */
export const MIN_LABELED = 2;

export interface TrainedModel {
  kind: string;
  state: unknown;
  tuning: unknown;
  /**
   * Scores of the tuned model, trained without them, on the held-out items (metrics.json): eval's report, with
   * `n_unscored` the held-out items that have no approved tag.
   */
  heldOut: Omit<EvalReport, "evaluated"> & {
    n_unscored: number;
    items: number;
    split: "time" | "random";
  };
  timings: { fitSeconds: number; tuneSeconds: number; refitSeconds: number };
}

/** Items with at least one gold tag, as training items. Unlabeled items teach nothing and are not scored. */
export function trainingItems(items: readonly ContentItem[], taxonomy: Taxonomy): TrainingItem[] {
  return items
    .map((item) => ({
      title: item.title,
      description: item.description,
      gold: labelsOf(item, taxonomy).gold,
      createdOn: item.createdOn,
    }))
    .filter((item) => item.gold.length > 0);
}

/**
 * A split's labeled items per part, each part named as a user reads it ("the newest 15% held out for tuning"): the
 * one minimum-data check of `train` and `benchmark`. Items without an approved tag count for no part.
 */
export function assertEnoughLabeled(
  parts: readonly { name: string; items: number }[],
  total: number,
): void {
  if (parts.every((part) => part.items >= MIN_LABELED)) return;
  const labeled = parts.reduce((sum, part) => sum + part.items, 0);
  throw new TagsmithError(
    "invalid_input",
    `too little labeled data: ${labeled} of ${total} items have an approved tag, ` +
      `${parts.map((part) => `${part.items} in ${part.name}`).join(", ")}; each part needs at least ` +
      `${MIN_LABELED}: add labeled items, or check that the data's tags are on the approved list (tagsmith data validate)`,
  );
}

/** The held-out part as a user reads it: which 15% depends on whether every item is dated. */
export function describeHoldOut(split: "time" | "random"): string {
  const share = `${HOLDOUT_RATIO * 100}%`;
  return split === "time" ? `the newest ${share}` : `a seeded random ${share}`;
}

/** Newest 15% by created_on when every item is dated, else a seeded random 15%. */
export function holdOut(
  items: readonly ContentItem[],
  seed: number,
): { fit: ContentItem[]; tune: ContentItem[]; split: "time" | "random" } {
  const dated = items.every((i) => i.createdOn !== null);
  const [fit, tune] = dated
    ? timeSplit(items, [1 - HOLDOUT_RATIO, HOLDOUT_RATIO])
    : randomSplit(items, [1 - HOLDOUT_RATIO, HOLDOUT_RATIO], seed);
  return { fit: fit ?? [], tune: tune ?? [], split: dated ? "time" : "random" };
}

const seconds = (start: number) => Math.round((performance.now() - start) / 10) / 100;

export interface Tuned {
  /** Trained on the fit items, tuned on the held-out ones: the model whose held-out scores are honest. */
  heldOutState: unknown;
  /** Refitted on fit and held-out items together, with the same tuning: the model to use. */
  state: unknown;
  tuning: unknown;
  timings: { fitSeconds: number; tuneSeconds: number; refitSeconds: number };
}

/**
 * The context with its progress stages named after the step: the fit and the refit train the same way and report
 * the same stages ("linear: one-vs-rest"), so without "fit: " and "refit: " a progress bar would not start again.
 */
function stage(context: TrainContext, step: "fit" | "tune" | "refit"): TrainContext {
  const { progress } = context;
  if (!progress) return context;
  return { ...context, progress: (name, done, total) => progress(`${step}: ${name}`, done, total) };
}

/** Train on `fit`, tune on `tune`, then refit on both with the tuning: the one training procedure of every model. */
export async function tuneAndRefit(
  kind: TaggerKind,
  fit: readonly TrainingItem[],
  tune: readonly TrainingItem[],
  context: TrainContext,
): Promise<Tuned> {
  const apply = (state: unknown, tuning: unknown) =>
    kind.applyTuning ? kind.applyTuning(state, tuning) : state;
  let start = performance.now();
  const fitState = await kind.train(fit, stage(context, "fit"));
  const fitSeconds = seconds(start);
  start = performance.now();
  const tuning = kind.tune ? await kind.tune(fitState, tune, stage(context, "tune")) : undefined;
  const tuneSeconds = seconds(start);
  start = performance.now();
  const state = apply(await kind.train([...fit, ...tune], stage(context, "refit")), tuning);
  return {
    heldOutState: apply(fitState, tuning),
    state,
    tuning: tuning ?? null,
    timings: { fitSeconds, tuneSeconds, refitSeconds: seconds(start) },
  };
}

/** A trained state as its model will suggest, for scoring: a model of single-label data suggests its one best class. */
export function taggerAsScored(
  kind: TaggerKind,
  state: unknown,
  taxonomy: Taxonomy,
  scoring: ScoringPlan,
): Tagger {
  return forLabelMode(
    kind.create(state, taxonomy),
    scoring.singleLabel ? "single" : "multi",
    taxonomy,
  );
}

export async function trainTagger(
  kind: TaggerKind,
  items: readonly ContentItem[],
  context: TrainContext,
  scoring: ScoringPlan,
): Promise<TrainedModel> {
  const { taxonomy } = context;
  const { fit, tune, split } = holdOut(items, context.seed);
  const fitItems = trainingItems(fit, taxonomy);
  const tuneItems = trainingItems(tune, taxonomy);
  assertEnoughLabeled(
    [
      { name: "the rest to fit on", items: fitItems.length },
      { name: `${describeHoldOut(split)} held out for tuning`, items: tuneItems.length },
    ],
    items.length,
  );
  const tuned = await tuneAndRefit(kind, fitItems, tuneItems, context);
  const { evaluated: _, ...heldOut } = evaluate(
    taggerAsScored(kind, tuned.heldOutState, taxonomy, scoring),
    tuneItems,
    taxonomy,
    scoring,
  );
  return {
    kind: kind.name,
    state: tuned.state,
    tuning: tuned.tuning,
    heldOut: {
      ...withUnscored(heldOut, tune.length - tuneItems.length),
      items: tuneItems.length,
      split,
    },
    timings: tuned.timings,
  };
}
