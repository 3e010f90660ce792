// GET /v1/admin/models: the registry's model versions with their stage, held-out metrics and last gate verdict,
// for the admin console, in the shape `tagsmith models list --json` prints (registry/version-summary.ts). A service
// on one model directory has no registry: its list is empty.

import { TagsmithError } from "../errors.js";
import {
  ModelRegistry,
  VersionSummary,
  VersionsSummary,
  versionsSummary,
} from "../registry/index.js";
import type { ServiceApp } from "./app.js";
import { ApiError } from "./errors.js";
import type { ModelOrigin } from "./model-source.js";
import { E401, E503_REGISTRY, json, QUERY_ERRORS } from "./responses.js";
import { named } from "./schemas.js";

export const ModelVersionSummary = named(
  VersionSummary,
  "ModelVersionSummary",
  "A model version as the admin console (and tagsmith models list --json) lists it.",
);

export const ModelVersions = named(
  VersionsSummary,
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
          503: E503_REGISTRY,
        },
      },
    },
    async () => {
      if (options.origin?.kind !== "registry")
        return versionsSummary(null, { versions: [], damaged: [] });
      const registry = new ModelRegistry(options.origin.dir);
      const listing = await registry.list().catch((error: unknown) => {
        // A registry the service cannot read (registry.json edited by hand, say) is the server's state, not the
        // admin's request nor a bug: a 503 naming it, for the operator who reads the console, never a 400 or 500.
        // No Retry-After: it stays unreadable until someone mends it.
        if (!(error instanceof TagsmithError)) throw error;
        throw new ApiError(
          "registry_unreadable",
          `the model registry cannot be read: ${error.message}; an operator must mend it (tagsmith models list names the problem)`,
        );
      });
      return versionsSummary(registry.dir, listing);
    },
  );
}
