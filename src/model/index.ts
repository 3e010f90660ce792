// Trained models on disk: the binary format and the model directory.
export { decodeModel, encodeModel, FORMAT_VERSION } from "./format.js";
export {
  assertModelDirTarget,
  type DataSource,
  type LoadedModel,
  loadModel,
  MANIFEST_FILE,
  METRICS_FILE,
  MODEL_FILE,
  type ModelContent,
  type ModelManifest,
  SAVE_STEPS,
  type SaveOptions,
  type SaveStep,
  saveModel,
  taxonomyFingerprint,
  versionsOf,
} from "./model-dir.js";
