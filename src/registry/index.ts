// The model registry: immutable, content-addressed model versions, their stages, the promotion gate, model cards
// and reproduction.
export { CARD_MIN_SUPPORT, type HeldOutMetrics, renderModelCard, WEAK_TAG_F1 } from "./card.js";
export {
  candidateSawGold,
  GATE_LIMIT,
  PRIMARY_METRICS,
  SECONDARY_METRICS,
  worseMetrics,
} from "./gate.js";
export { GateRefusedError, goldSeenInTraining } from "./gate-run.js";
export { gateObjections, objectedOutcome } from "./gate-words.js";
export {
  ModelRegistry,
  modelRef,
  type PromoteOptions,
  type PromoteResult,
  registryHolding,
  registryOfVersion,
  versionId,
} from "./registry.js";
export { type ReproduceOptions, type Reproduction, reproduce } from "./reproduce.js";
export {
  CARD_FILE,
  type DamagedVersion,
  DEFAULT_REGISTRY_DIR,
  type GateRecord,
  type GateScores,
  gateGoldFiles,
  goldFiles,
  type LastGate,
  LastGateSchema,
  LOCK_FILE,
  type ModelVersion,
  REGISTRY_FILE,
  type RegistryState,
  STAGES,
  type Stage,
  type StageChange,
  VERSIONS_DIR,
  type VersionListing,
  type VersionManifest,
} from "./schema.js";
export {
  VersionSummary,
  VersionsSummary,
  versionSummary,
  versionsSummary,
} from "./version-summary.js";
