// What the registry keeps on disk: registry.json (stages, history, the production pointer, the gold set) and the
// version manifest (a model's manifest.json plus where and when it was registered).

import { z } from "zod";
import { ModelManifestSchema } from "../model/index.js";

/** Where the commands and the service look for the registry without --registry (relative to the working directory). */
export const DEFAULT_REGISTRY_DIR = "models";
export const REGISTRY_FILE = "registry.json";
export const LOCK_FILE = "registry.lock";
export const VERSIONS_DIR = "versions";
/** Versions are assembled here, then renamed into versions/: a version directory is complete or absent. */
export const STAGING_DIR = ".staging";
export const CARD_FILE = "MODEL_CARD.md";
export const REGISTRY_FORMAT = 1;

export const STAGES = ["candidate", "production", "archived"] as const;
export type Stage = (typeof STAGES)[number];

const GateScoresSchema = z.object({
  suggested_f1: z.number(),
  recall_at_5: z.number(),
  precision: z.number(),
  recall: z.number(),
  ndcg_at_5: z.number(),
  n_docs: z.number(),
});
export type GateScores = z.infer<typeof GateScoresSchema>;

/** The champion/challenger comparison a promotion was decided on. */
export const GateRecordSchema = z.object({
  /**
   * The gold data, its files concatenated: `file` names them all (joined with " + "), `files` lists them; records
   * of one file written before several were possible have `file` only.
   */
  gold: z.object({
    file: z.string(),
    files: z.array(z.string()).optional(),
    fingerprint: z.string(),
    items: z.number(),
    /**
     * When the two models approve different tags: how many only each approves. Both were scored on the gold labels
     * of all of them (gate.ts gateTaxonomy). Absent when they approve the same tags, and in older records.
     */
    approved: z
      .object({ candidateOnly: z.number().int(), productionOnly: z.number().int() })
      .optional(),
  }),
  candidate: GateScoresSchema,
  production: z.object({ id: z.string(), scores: GateScoresSchema }).nullable(),
  /** Primary metrics on which the candidate scored below production: non-empty means refused unless forced. */
  worse: z.array(z.string()),
  /**
   * Gold items each model was trained on (the same or nearly the same text: gate.ts goldItemsTrainedOn), by the data
   * files its manifest lists; null where those files could not be read. Scores on such items are not held out.
   * `candidateOnly`: those the candidate saw and production did not (absent in records written before it was kept).
   * Absent in older records.
   */
  trainedOnGold: z
    .object({
      candidate: z.number().int().nullable(),
      production: z.number().int().nullable(),
      candidateOnly: z.number().int().nullable().optional(),
      /** Why the candidate's, or production's, training files could not be read (absent in older records). */
      candidateUnreadable: z.string().optional(),
      productionUnreadable: z.string().optional(),
    })
    .optional(),
});
export type GateRecord = z.infer<typeof GateRecordSchema>;

export const StageChangeSchema = z.object({
  at: z.string(),
  action: z.enum(["register", "promote", "rollback"]),
  from: z.enum(STAGES).nullable(),
  stage: z.enum(STAGES),
  /** Whether --force was given: a forced promotion skips the gate's verdict. */
  forced: z.boolean(),
  gate: GateRecordSchema.nullable().optional(),
  /** Why a forced promotion was not compared with production: the production version could not be loaded. */
  gateSkipped: z.string().optional(),
  /** The other version of the change: the one replaced, or the one that replaced this one. */
  other: z.string().nullable().optional(),
});
export type StageChange = z.infer<typeof StageChangeSchema>;

/**
 * The gate's last verdict on a version: refused (worse, or trained on the gold data, and not forced: the stage did not
 * change, so no history entry holds it), promoted (no objection) or forced (promoted with --force past one).
 */
export const LastGateSchema = z.object({
  at: z.string(),
  outcome: z.enum(["promoted", "forced", "refused"]),
  worse: z.array(z.string()).describe("Metrics the candidate scored worse on than production."),
  production: z.string().nullable().describe("The production version it was compared with."),
  seen: z
    .object({
      candidate: z.number().int().nullable(),
      production: z.number().int(),
      candidateOnly: z.number().int().optional(),
      items: z.number().int(),
    })
    .optional()
    .describe(
      "Present when the candidate was trained on gold items production was not (more than 1% of them), or its training data could not be read to tell (candidate null): how many each saw, how many only the candidate saw, of how many. Its scores there are not held out, so the gate refuses it unless forced.",
    ),
});
export type LastGate = z.infer<typeof LastGateSchema>;

export const VersionRecordSchema = z.object({
  stage: z.enum(STAGES),
  registeredAt: z.string(),
  history: z.array(StageChangeSchema),
  /** Absent until the gate has scored the version (and in registries written before it was recorded). */
  lastGate: LastGateSchema.optional(),
});
export type VersionRecord = z.infer<typeof VersionRecordSchema>;

/**
 * A version id as versionId makes it ("m-" and 12 hex digits of model.bin's checksum). Checked when registry.json is
 * read: an id is joined into a path, and an edited one ("../../x") would read a directory outside the registry.
 */
const VersionIdSchema = z
  .string()
  .regex(/^m-[0-9a-f]{12}$/, 'a version id is "m-" and 12 hex digits (as models list shows them)');

export const RegistryStateSchema = z.object({
  format: z.literal(REGISTRY_FORMAT),
  /**
   * Absolute paths of the gold data the promotion gate scores on (concatenated), unless --gold is given: one path
   * as a string (as every registry before several files were possible has it, so older tagsmith still reads it),
   * several as a list.
   */
  gold: z.union([z.string(), z.array(z.string()).min(1)]).nullable(),
  /** The version in production: always a complete version directory under versions/. */
  production: VersionIdSchema.nullable(),
  /** Every promotion in order, the current production last: rollback steps back through it. */
  promotions: z.array(VersionIdSchema),
  versions: z.record(VersionIdSchema, VersionRecordSchema),
});
export type RegistryState = z.infer<typeof RegistryStateSchema>;

/** The registry's gold files as a list, whichever form registry.json keeps them in. */
export function goldFiles(gold: RegistryState["gold"]): string[] {
  return gold === null ? [] : typeof gold === "string" ? [gold] : [...gold];
}

/** The files a gate record scored on. */
export function gateGoldFiles(gate: GateRecord): string[] {
  return gate.gold.files ?? [gate.gold.file];
}

export const EMPTY_STATE: RegistryState = {
  format: REGISTRY_FORMAT,
  gold: null,
  production: null,
  promotions: [],
  versions: {},
};

/** Held-out scores copied into the version manifest, so `models list` reads one small file per version. */
export const HeldOutSummarySchema = z.object({
  items: z.number().int(),
  split: z.string(),
  precision: z.number(),
  recall: z.number(),
  suggested_f1: z.number(),
  recall_at_5: z.number(),
  ndcg_at_5: z.number(),
});
export type HeldOutSummary = z.infer<typeof HeldOutSummarySchema>;

/** versions/<id>/manifest.json: the model's manifest, unchanged, plus the registration. */
export const VersionManifestSchema = ModelManifestSchema.extend({
  registry: z.object({
    id: z.string(),
    registeredAt: z.string(),
    /** Absolute path of the model directory it was registered from. */
    source: z.string(),
    heldOut: HeldOutSummarySchema.nullable(),
  }),
});
export type VersionManifest = z.infer<typeof VersionManifestSchema>;

/** A registered version whose manifest cannot be read (removed, not JSON, another shape): listed, not hiding the rest. */
export interface DamagedVersion {
  id: string;
  stage: Stage;
  /** What is wrong and where, as the command that reads the version would say it. */
  problem: string;
}

/** The registry's versions, newest first, and those whose manifest cannot be read. */
export interface VersionListing {
  versions: ModelVersion[];
  damaged: DamagedVersion[];
}

/** A version as commands see it: its immutable manifest and its current stage and history. */
export interface ModelVersion {
  id: string;
  dir: string;
  manifest: VersionManifest;
  stage: Stage;
  history: StageChange[];
  lastGate: LastGate | null;
}
