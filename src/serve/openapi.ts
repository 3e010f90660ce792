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
type TransformObject = ReturnType<typeof createJsonSchemaTransformObject>;
type JsonSchemas = Record<string, unknown>;

const COMPONENT = "#/components/schemas/";
/** The zod transform's name for a schema as a client sends it (defaulted fields optional): `SuggestRequestInput`. */
const INPUT = "Input";

/** The component names a JSON value refers to with $ref. */
function referencedSchemas(value: unknown): Set<string> {
  const names = new Set<string>();
  JSON.stringify(value, (key, ref) => {
    if (key === "$ref" && typeof ref === "string" && ref.startsWith(COMPONENT))
      names.add(ref.slice(COMPONENT.length));
    return ref;
  });
  return names;
}

/** Every schema the paths use, directly or through other schemas. */
function usedSchemas(paths: unknown, schemas: JsonSchemas): Set<string> {
  const used = new Set<string>();
  const pending = [...referencedSchemas(paths)];
  for (let name = pending.pop(); name !== undefined; name = pending.pop())
    if (!used.has(name) && name in schemas) {
      used.add(name);
      pending.push(...referencedSchemas(schemas[name]));
    }
  return used;
}

/**
 * The zod transform documents every named schema twice, as a client sends it (`SuggestRequestInput`: a defaulted
 * `limit` optional) and as the server sends it (`SuggestRequest`: `limit` required), whichever way the routes use
 * it, so Swagger UI's schema list showed unused copies telling a reader defaulted fields are required. This keeps the
 * schemas the paths use, each under its plain name in the direction it is used: requests as sent, responses as
 * answered. A schema used both ways keeps one name when both directions read the same (a model reference), and
 * only where they differ is the request's `XInput` kept beside the response's `X`.
 */
function oneSchemaPerName(transformObject: TransformObject): TransformObject {
  return (document) => {
    const result = transformObject(document) as {
      paths?: unknown;
      components?: { schemas?: JsonSchemas };
    };
    const schemas = result.components?.schemas ?? {};
    const used = usedSchemas(result.paths, schemas);
    const plain = (name: string) => (name.endsWith(INPUT) ? name.slice(0, -INPUT.length) : name);
    // Used both ways and different, or referring to such a schema's request form: keeps its Input name.
    const sameModuloInput = (value: unknown) =>
      JSON.stringify(value).replace(/(#\/components\/schemas\/[^"]+?)Input"/g, '$1"');
    const split = new Set(
      [...used].filter(
        (name) =>
          name.endsWith(INPUT) &&
          used.has(plain(name)) &&
          sameModuloInput(schemas[name]) !== sameModuloInput(schemas[plain(name)]),
      ),
    );
    for (let grew = true; grew; ) {
      grew = false;
      for (const name of used)
        if (name.endsWith(INPUT) && !split.has(name) && used.has(plain(name)))
          if ([...referencedSchemas(schemas[name])].some((ref) => split.has(ref))) {
            split.add(name);
            grew = true;
          }
    }
    const finalName = (name: string) => (split.has(name) ? name : plain(name));
    const renamed = JSON.parse(JSON.stringify(result), (key, value) =>
      key === "$ref" && typeof value === "string" && value.startsWith(COMPONENT)
        ? COMPONENT + finalName(value.slice(COMPONENT.length))
        : value,
    ) as typeof result;
    // In the order the schemas are defined (a route's request beside its response), as the zod transform lists them.
    const order = Object.keys(schemas);
    const position = (name: string) =>
      order.indexOf(plain(name)) * 2 + (name.endsWith(INPUT) ? 1 : 0);
    const kept: JsonSchemas = {};
    for (const name of [...used].sort((a, b) => position(a) - position(b))) {
      // Where both directions read the same, the response's copy stands for both.
      if (!split.has(name) && name.endsWith(INPUT) && used.has(plain(name))) continue;
      kept[finalName(name)] = renamed.components?.schemas?.[name];
    }
    return {
      ...renamed,
      components: { ...renamed.components, schemas: kept },
    } as ReturnType<TransformObject>;
  };
}

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
          `${codesByStatus()}. headers_too_large is the answer to a URL or headers over 16 kB, before any route (every operation lists it).`,
          "A /v1 route refuses a query parameter it does not take (400 invalid_request naming it).",
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
    transformObject: oneSchemaPerName(
      createJsonSchemaTransformObject({ schemaRegistry: API_SCHEMAS }),
    ),
  };
}
