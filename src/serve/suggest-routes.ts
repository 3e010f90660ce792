// The suggestion routes: one item, a batch, and the approved tags for autocomplete, a few lines each over suggest.ts.

import type { FastifyRequest } from "fastify";
import type { ServiceApp } from "./app.js";
import { BATCH_BODY_LIMIT } from "./limits.js";
import type { ServiceMetrics } from "./metrics.js";
import { BODY_ERRORS, json, QUERY_ERRORS } from "./responses.js";
import {
  BatchRequest,
  BatchResponse,
  DEFAULT_TAG_MATCHES,
  MAX_BATCH_ITEMS,
  MAX_SUGGESTIONS,
  MAX_TAG_MATCHES,
  SuggestRequest,
  SuggestResponse,
  TagsQuery,
  TagsResponse,
} from "./schemas.js";
import type { ServedModel } from "./served-model.js";
import { matchTags, suggestBatch, suggestOne } from "./suggest.js";

export interface SuggestRouteOptions {
  /** The model for this request (503 until one is loaded), read once. */
  modelFor: (request: FastifyRequest) => ServedModel;
  metrics: ServiceMetrics;
}

export function registerSuggestRoutes(app: ServiceApp, options: SuggestRouteOptions): void {
  const { modelFor, metrics } = options;

  const countSuggestions = (model: ServedModel, lists: { source: string }[][]) => {
    let explicit = 0;
    let implicit = 0;
    for (const list of lists)
      for (const s of list) s.source === "explicit" ? explicit++ : implicit++;
    if (explicit) metrics.suggestions.inc({ model: model.ref.id, source: "explicit" }, explicit);
    if (implicit) metrics.suggestions.inc({ model: model.ref.id, source: "implicit" }, implicit);
  };

  app.post(
    "/v1/suggest",
    {
      schema: {
        tags: ["suggestions"],
        summary: "Suggest tags for one piece of content",
        description: `Approved tags only, none the author already chose (through aliases and case), best first; at most \`limit\` (1..${MAX_SUGGESTIONS}, default 5).`,
        body: SuggestRequest,
        response: { 200: json("Suggestions, best first", SuggestResponse), ...BODY_ERRORS },
      },
    },
    async (request) => {
      const model = modelFor(request);
      const answer = suggestOne(model, request.body);
      countSuggestions(model, [answer.suggestions]);
      request.contentId = request.body.content_id;
      return { request_id: request.id, model: model.ref, ...answer };
    },
  );

  app.post(
    "/v1/suggest/batch",
    {
      bodyLimit: Math.max(app.initialConfig.bodyLimit ?? 0, BATCH_BODY_LIMIT),
      schema: {
        tags: ["suggestions"],
        summary: "Suggest tags for several pieces of content",
        description: `1 to ${MAX_BATCH_ITEMS} items, all answered by the same model; results keyed by item id. Bodies up to ${BATCH_BODY_LIMIT / 1024 / 1024} MB (or the service's limit, if larger).`,
        body: BatchRequest,
        response: { 200: json("Suggestions for every item", BatchResponse), ...BODY_ERRORS },
      },
    },
    async (request) => {
      const model = modelFor(request);
      const results = suggestBatch(model, request.body);
      countSuggestions(
        model,
        Object.values(results).map((r) => r.suggestions),
      );
      return { request_id: request.id, model: model.ref, results };
    },
  );

  app.get(
    "/v1/tags",
    {
      schema: {
        tags: ["taxonomy"],
        summary: "Approved tags for autocomplete",
        description: `Tags whose name or an alias contains \`query\` (ignoring case, spaces and hyphens), with aliases and categories: exact matches first, then prefixes, then substrings. Without \`query\`, every tag in name order. At most \`limit\` (1..${MAX_TAG_MATCHES}, default ${DEFAULT_TAG_MATCHES}).`,
        querystring: TagsQuery,
        response: { 200: json("Matching approved tags", TagsResponse), ...QUERY_ERRORS },
      },
    },
    async (request) => {
      const model = modelFor(request);
      return { model: model.ref, ...matchTags(model, request.query) };
    },
  );
}
