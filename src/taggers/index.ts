// Every tagger, found by name: a configuration, the CLI and the benchmark name the ones they want.
import { frequent } from "./baseline-frequent.js";
import { random } from "./baseline-random.js";
import { ensemble } from "./ensemble/index.js";
import { keywords } from "./keywords.js";
import { knn } from "./knn.js";
import { linear } from "./linear.js";
import { rules } from "./rules.js";
import type { TaggerKind } from "./tagger.js";

export { answerProblem } from "./answer-check.js";
export { type HalfChosen, withHalfChosen } from "./half-chosen.js";
export { boundInput, MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS } from "./input.js";
export { forLabelMode } from "./label-mode.js";
export { type TaggerOptions, TaggerOptionsSchema } from "./options.js";
export { RulesTagger, TagMatcher } from "./rules.js";
export type { ContentInput, Evidence, Suggestion } from "./suggestion.js";
export {
  DEFAULT_LIMIT,
  excludedTags,
  finalizeSuggestions,
  MAX_EVIDENCE_SPANS,
  type SuggestOptions,
  type Tagger,
  type TaggerKind,
  type TrainContext,
  type TrainingItem,
} from "./tagger.js";

// A prototype-less object: a name such as "toString" is simply not a tagger.
export const TAGGER_KINDS: Record<string, TaggerKind> = Object.assign(
  Object.create(null),
  Object.fromEntries(
    ([random, frequent, rules, keywords, knn, linear, ensemble] as TaggerKind[]).map((kind) => [
      kind.name,
      kind,
    ]),
  ),
);

export const DEFAULT_TAGGER = "ensemble";
