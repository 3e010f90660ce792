// The ensemble tagger's one entry point: its kind, found by name in taggers/index.ts, and what model files and
// their compatibility tests see of it.

export type { EnsembleState, StoredEnsembleState } from "./combiner.js";
export { ensemble } from "./ensemble.js";
export { FEATURES, type FeatureName } from "./features.js";
