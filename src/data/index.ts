// Labeled content: load, label, validate, split, describe.
export {
  type ContentItem,
  type ContentRecord,
  ContentRecordSchema,
  contentText,
  type LocatedItem,
  type Origin,
  parseCreatedOn,
  toContentItem,
} from "./content.js";
export {
  DATASET_SOURCES,
  type DatasetFile,
  type DatasetSource,
  DEFAULT_FETCH_TIMEOUT_MS,
  datasetSource,
  type FetchedFile,
  type FetchOptions,
  type FetchStatus,
  fetchDataset,
  MWML_SOURCE,
} from "./fetch.js";
export { type Labels, labelsOf } from "./labels.js";
export {
  type ContentFormat,
  type ContentProblem,
  formatOf,
  type LoadedContent,
  loadContent,
  readContent,
  sharedLabelMode,
} from "./load.js";
export { type DuplicatePair, jaccard, nearDuplicatePairs, shingles } from "./near-duplicates.js";
export { seededRandom, shuffled } from "./random.js";
export { type RepeatedId, repeatedIds, repeatedIdsWarning } from "./repeated-ids.js";
export {
  checkPartNames,
  checkRatios,
  findLeaks,
  type Leak,
  randomSplit,
  type SplitMethod,
  splitContent,
  stratifiedSplit,
  timeSplit,
} from "./split.js";
export { type DatasetStats, datasetStats, fingerprint } from "./stats.js";
export {
  DEFAULT_VALIDATION,
  type ValidationOptions,
  type ValidationReport,
  validateContent,
} from "./validate.js";
export {
  contentFileFormat,
  contentFileText,
  toRecord,
  type WriteOptions,
  writeContent,
  writeContentFiles,
} from "./write.js";
