// Training a tagger as `tagsmith train` does: its configuration, the hold-out, tuning and refit, and the model files.
export {
  DEFAULT_TRAIN_CONFIG,
  loadTrainConfig,
  namedTagger,
  parseTrainConfig,
  type TrainConfig,
  TrainConfigSchema,
} from "./config.js";
export {
  type TrainRequest,
  taxonomyFor,
  trainFromFiles,
} from "./run.js";
export {
  assertEnoughLabeled,
  describeHoldOut,
  HOLDOUT_RATIO,
  holdOut,
  MIN_LABELED,
  type TrainedModel,
  type Tuned,
  taggerAsScored,
  trainingItems,
  trainTagger,
  tuneAndRefit,
} from "./train.js";
