// The learners written here (see each file for why): sparse logistic regression one-vs-rest on worker threads, a small
// dense logistic regression for combinations, and the threshold search.
export {
  type DenseLogistic,
  fitDenseLogistic,
  predictDenseLogistic,
} from "./dense-logistic.js";
export {
  type BinaryModel,
  DEFAULT_LOGISTIC,
  type LogisticConfig,
  naiveBayesRatios,
  sigmoid,
  trainLogistic,
} from "./logistic.js";
export {
  classSeed,
  type OneVsRestJob,
  trainOneVsRest,
  type WorkerTask,
} from "./one-vs-rest.js";
export {
  bestThreshold,
  type RankedCase,
} from "./threshold.js";
