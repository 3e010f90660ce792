// Scoring taggers on gold data: micro, macro, per-tag and slice metrics, the threshold curve and the HTML report.
export {
  type CurvePoint,
  thresholdCurve,
} from "./curve.js";
export {
  type EvalReport,
  type EvaluatedItem,
  evaluate,
  runTagger,
  type ScoringPlan,
  type SliceScores,
  scoringPlan,
  singleLabelCases,
  sliceOf,
  withChosenScores,
  withUnscored,
} from "./evaluate.js";
export {
  type AtK,
  atK,
  type Confusion,
  confusionCounts,
  type GroupScores,
  groupScores,
  macroScores,
  ndcgAtK,
  type PRF,
  percentile,
  perTagScores,
  prf,
  type ScoredCase,
  type SomeCases,
  type SuggestedScores,
  singleLabelScores,
  someCases,
  suggestedScores,
  type TagScores,
} from "./metrics.js";
export {
  type ReportInput,
  renderReport,
  unscoredClause,
} from "./report.js";
