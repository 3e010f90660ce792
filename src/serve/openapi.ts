// The OpenAPI document's frame: what the API is, its error codes (listed from API_STATUS, errors.ts), its tags and
// the admin token's scheme. The paths come from the routes' zod schemas (API_SCHEMAS names the shared ones), so the
// document cannot drift from the code.

import type { SwaggerOptions } from "@fastify/swagger";
import {
  createJsonSchemaTransform,
  createJsonSchemaTransformObject,
} from "fastify-type-provider-zod";
import { API_STATUS } from "./errors.js";
import { API_SCHEMAS } from "./schemas.js";

type Transform = ReturnType<typeof createJsonSchemaTransform>;

/**
 * The zod transform rebuilds each response from its description and content alone: the headers a response declares
 * (responses.ts: Retry-After, Allow, Location) are put back, for @fastify/swagger to document.
 */
function withResponseHeaders(transform: Transform): Transform {
  return (route) => {
    const result = transform(route);
    const declared = (
      route.schema as { response?: Record<string, { headers?: object }> } | undefined
    )?.response;
    const response = (result.schema as { response?: Record<string, object> } | undefined)?.response;
    if (declared && response)
      for (const [status, { headers }] of Object.entries(declared))
        if (headers && response[status]) response[status] = { ...response[status], headers };
    return result;
  };
}

/** "invalid_json, invalid_request (400); unauthorized (401); ...": every error code by status, from API_STATUS. */
function codesByStatus(): string {
  const byStatus = new Map<number, string[]>();
  for (const [code, status] of Object.entries(API_STATUS))
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  return [...byStatus]
    .sort(([a], [b]) => a - b)
    .map(([status, codes]) => `${codes.join(", ")} (${status})`)
    .join("; ");
}

export function openApiOptions(version: string): SwaggerOptions {
  return {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "tagsmith",
        version,
        description: [
          "Suggests approved tags for machine-learning content from its title and description.",
          "",
          "Every error has the body `{error: {code, message, details}}` (schema `Error`); `code` is stable:",
          `${codesByStatus()}. headers_too_large is the answer to a URL or headers over 16 kB, before any route.`,
          "Every response carries an `x-request-id` header (a client may send",
          "its own). A browsable version of this document is at /docs.",
        ].join("\n"),
      },
      tags: [
        { name: "suggestions", description: "Tag suggestions for content" },
        { name: "taxonomy", description: "The approved tag list" },
        { name: "content", description: "Content as authors save it (the content store)" },
        { name: "feedback", description: "What authors do with suggestions" },
        { name: "ui", description: "The content editor and the embeddable widget" },
        {
          name: "admin",
          description: "Behind the admin token: review, online metrics, taxonomy, models",
        },
        { name: "operations", description: "Probes, metrics and this document" },
      ],
      components: {
        securitySchemes: {
          adminToken: {
            type: "http",
            scheme: "bearer",
            description: "The token the service was started with (TAGSMITH_ADMIN_TOKEN)",
          },
        },
      },
    },
    transform: withResponseHeaders(createJsonSchemaTransform({ schemaRegistry: API_SCHEMAS })),
    transformObject: createJsonSchemaTransformObject({ schemaRegistry: API_SCHEMAS }),
  };
}
