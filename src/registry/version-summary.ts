// A registry's versions as listed, by GET /v1/admin/models and `tagsmith models list --json` alike: one shape, one
// schema (model-routes.ts names it for the OpenAPI document), one mapper.

import { z } from "zod";
import { LastGateSchema, type ModelVersion, STAGES, type VersionListing } from "./schema.js";

const HeldOut = z
  .object({
    items: z.number().int(),
    precision: z.number(),
    recall: z.number(),
    suggested_f1: z.number(),
    recall_at_5: z.number(),
    ndcg_at_5: z.number(),
  })
  .nullable()
  .describe("Scores on the newest 15% of the training data, held out while tuning.");

export const VersionSummary = z.object({
  id: z.string(),
  stage: z.enum(STAGES),
  tagger: z.string(),
  created_at: z.string().nullable(),
  registered_at: z.string(),
  data_items: z.number().int(),
  data_fingerprint: z
    .string()
    .describe("sha256 of the training data: versions trained on the same data share it."),
  held_out: HeldOut,
  last_change: z
    .object({
      at: z.string(),
      action: z.string(),
      stage: z
        .string()
        .describe(
          "The stage the change left this version in: a promote of another version leaves this one archived.",
        ),
      forced: z.boolean(),
      gate_worse: z
        .array(z.string())
        .nullable()
        .describe("Metrics the gate found worse, if it ran."),
    })
    .nullable(),
  last_gate: LastGateSchema.nullable().describe(
    "The promotion gate's last verdict on this version, a refused promotion included (which changes no stage).",
  ),
});
export type VersionSummary = z.infer<typeof VersionSummary>;

export const VersionsSummary = z.object({
  registry: z
    .string()
    .nullable()
    .describe("The registry directory; null when one model directory is served."),
  versions: z.array(VersionSummary).describe("Newest first."),
  damaged: z
    .array(
      z.object({
        id: z.string(),
        stage: z.enum(STAGES),
        problem: z
          .string()
          .describe("What is wrong with the version's directory, and how to mend it."),
      }),
    )
    .describe(
      "Registered versions whose manifest is missing or cannot be read: listed apart so the others stay visible.",
    ),
});
export type VersionsSummary = z.infer<typeof VersionsSummary>;

export function versionSummary(v: ModelVersion): VersionSummary {
  const last = v.history.at(-1);
  const held = v.manifest.registry.heldOut;
  return {
    id: v.id,
    stage: v.stage,
    tagger: String(v.manifest.kind),
    created_at: v.manifest.createdAt ?? null,
    registered_at: v.manifest.registry.registeredAt,
    data_items: v.manifest.data.items,
    data_fingerprint: v.manifest.data.fingerprint,
    held_out: held
      ? {
          items: held.items,
          precision: held.precision,
          recall: held.recall,
          suggested_f1: held.suggested_f1,
          recall_at_5: held.recall_at_5,
          ndcg_at_5: held.ndcg_at_5,
        }
      : null,
    last_change: last
      ? {
          at: last.at,
          action: last.action,
          stage: last.stage,
          forced: last.forced,
          gate_worse: last.gate ? last.gate.worse : null,
        }
      : null,
    last_gate: v.lastGate,
  };
}

/** A registry's listing (`registry`: its directory; null when one model directory is served). */
export function versionsSummary(registry: string | null, listing: VersionListing): VersionsSummary {
  return {
    registry,
    versions: listing.versions.map(versionSummary),
    damaged: listing.damaged.map(({ id, stage, problem }) => ({ id, stage, problem })),
  };
}
