// GET /v1/admin/models: the registry's model versions with their stage, held-out metrics and last gate verdict,
// for the admin console. A service on one model directory has no registry: its list is empty.

import { z } from "zod";
import { TagsmithError } from "../errors.js";
import { LastGateSchema, ModelRegistry, STAGES } from "../registry/index.js";
import type { ServiceApp } from "./app.js";
import { ApiError } from "./errors.js";
import type { ModelOrigin } from "./model-source.js";
import { E401, json, QUERY_ERRORS } from "./responses.js";
import { named } from "./schemas.js";

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

export const ModelVersionSummary = named(
  z.object({
    id: z.string(),
    stage: z.enum(STAGES),
    tagger: z.string(),
    created_at: z.string().nullable(),
    registered_at: z.string(),
    data_items: z.number().int(),
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
  }),
  "ModelVersionSummary",
  "A model version as the admin console lists it.",
);

export const ModelVersions = named(
  z.object({
    registry: z
      .string()
      .nullable()
      .describe("The registry directory; null when one model directory is served."),
    versions: z.array(ModelVersionSummary).describe("Newest first."),
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
  }),
  "ModelVersions",
  "The model versions the service knows.",
);

export function registerModelRoutes(
  admin: ServiceApp,
  options: { origin: ModelOrigin | null },
): void {
  admin.get(
    "/v1/admin/models",
    {
      schema: {
        tags: ["admin"],
        summary: "Model versions, their stage and metrics",
        security: [{ adminToken: [] }],
        response: {
          200: json("Versions, newest first", ModelVersions),
          401: E401,
          ...QUERY_ERRORS,
        },
      },
    },
    async () => {
      if (options.origin?.kind !== "registry") return { registry: null, versions: [], damaged: [] };
      const registry = new ModelRegistry(options.origin.dir);
      const { versions, damaged } = await registry.list().catch((error: unknown) => {
        // A registry the service cannot read (registry.json edited by hand, say) is the server's problem, not the
        // admin's request: a 500 naming it, for the operator who reads the console, never a 400.
        if (!(error instanceof TagsmithError)) throw error;
        throw new ApiError("internal", `the model registry cannot be read: ${error.message}`);
      });
      return {
        registry: registry.dir,
        damaged,
        versions: versions.map((v) => {
          const last = v.history.at(-1);
          const held = v.manifest.registry.heldOut;
          return {
            id: v.id,
            stage: v.stage,
            tagger: String(v.manifest.kind),
            created_at: v.manifest.createdAt ?? null,
            registered_at: v.manifest.registry.registeredAt,
            data_items: v.manifest.data.items,
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
        }),
      };
    },
  );
}
