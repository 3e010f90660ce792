// Trained models on disk: the binary format and the model directory.
export { decodeModel, encodeModel, FORMAT_VERSION } from "./format.js";
export {
  type DataSource,
  DataSourceSchema,
  type ModelManifest,
  ModelManifestSchema,
  overlayFilesOf,
} from "./manifest.js";
export {
  assertModelDirTarget,
  type LoadedModel,
  loadModel,
  MANIFEST_FILE,
  METRICS_FILE,
  MODEL_FILE,
  type ModelContent,
  SAVE_STEPS,
  type SaveOptions,
  type SaveStep,
  saveModel,
  taxonomyFingerprint,
  versionsOf,
} from "./model-dir.js";
export { type ContentSuggestions, type ContentToTag, suggestFor } from "./suggest.js";
export { type WarmUp, warmUp } from "./warm-up.js";
