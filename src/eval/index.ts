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
  sliceOf,
  withChosenScores,
} from "./evaluate.js";
export {
  atK,
  macroScores,
  ndcgAtK,
  type PRF,
  percentile,
  perTagScores,
  prf,
  type ScoredCase,
  type SuggestedScores,
  singleLabelScores,
  suggestedScores,
  type TagScores,
} from "./metrics.js";
export {
  type ReportInput,
  renderReport,
} from "./report.js";
