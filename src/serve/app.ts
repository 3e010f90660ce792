// The HTTP service's plumbing: one Fastify app with zod validation (the schemas that also give the OpenAPI
// document), every error answered in one shape (errors.ts), request ids, one log line and metrics per request,
// shutdown draining, cross-origin and rate-limit policy; the routes themselves live in the *-routes.ts files.

import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifySchemaCompiler,
  LogController,
  type RawServerDefault,
} from "fastify";
import { serializerCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { Logger } from "pino";
import type { z } from "zod";
import type { ContentStore } from "../store/index.js";
import { registerAdminRoutes } from "./admin-auth.js";
import { answerClientError } from "./client-errors.js";
import { registerContentRoutes } from "./content-routes.js";
import {
  ApiError,
  InvalidRequestError,
  malformedUrl,
  notReady,
  requestErrorMap,
  shuttingDown,
  toApiError,
} from "./errors.js";
import { DEFAULT_BODY_IDLE_MS, jsonBodyParser } from "./json-body.js";
import { DEFAULT_BODY_LIMIT, DEFAULT_RATE_LIMIT } from "./limits.js";
import type { ServiceMetrics } from "./metrics.js";
import { registerModelRoutes } from "./model-routes.js";
import type { LoadFailure, ModelOrigin } from "./model-source.js";
import { registerOnlineMetricsRoutes } from "./online-metrics-routes.js";
import { openApiOptions } from "./openapi.js";
import { registerOperationsRoutes } from "./operations-routes.js";
import { registerReviewRoutes } from "./review-routes.js";
import { routeMethods } from "./route-methods.js";
import type { ServedModel } from "./served-model.js";
import { registerSuggestRoutes } from "./suggest-routes.js";
import { registerUiRoutes } from "./ui-routes.js";

/**
 * How the HTTP layer treats requests: limits, the client address and cross-origin calls. Declared once, given by
 * `tagsmith serve`'s options and passed through the service and server unchanged.
 */
export interface HttpPolicy {
  /** Largest request body in bytes (413 above). */
  bodyLimit?: number;
  /** How long a request body may pause before the request is answered 408 and its connection closed. */
  bodyIdleMs?: number;
  /** Requests per minute per client address on /v1 routes (429 above); 0 turns the limit off. */
  rateLimit?: number;
  /** Behind a proxy or ingress: the client address comes from X-Forwarded-For (for the rate limit and logs). */
  trustProxy?: boolean;
}

export interface AppOptions {
  /** The model answering now (null before one is loaded); read once per request. */
  model: () => ServedModel | null;
  /** The registry's production version when it failed to load and `model` answers in its place (/readyz). */
  productionFailure?: () => LoadFailure | null;
  logger: Logger;
  metrics: ServiceMetrics;
  http?: HttpPolicy;
  /** The package version, shown in the OpenAPI document. */
  version: string;
  /** Prometheus text for /metrics; default: this process's metrics (cluster workers ask the primary instead). */
  metricsText?: () => Promise<string>;
  /** Where models come from: a registry's versions are listed to admins. */
  origin?: ModelOrigin;
  /** The bearer token of the admin routes; null or absent: they answer 401 to everyone. */
  adminToken?: string | null;
  /** Where content and feedback are kept; without one those routes answer 503 store_unavailable. */
  store?: ContentStore | null;
}

/** What shutdown needs from the app: new requests are refused while these finish. */
export interface Drain {
  draining: boolean;
  inflight: number;
}

declare module "fastify" {
  interface FastifyRequest {
    /** The model version that answered, for the latency metric and the log line. */
    modelId: string | undefined;
    /** The platform's id of the content, when the client sent one: in the log line, for joining feedback. */
    contentId: string | number | undefined;
  }
}

/** Validates with the route's zod schema and keeps zod's issues, so errors can name fields as "items[2].title". */
const validatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  const error = requestErrorMap(httpPart ?? "body");
  return (data) => {
    const result = schema.safeParse(data, { error });
    return result.success
      ? { value: result.data }
      : { error: new InvalidRequestError(result.error.issues) };
  };
};

const REQUEST_ID = /^[\w.:-]{1,100}$/;

export type ServiceApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What an embedded widget calls from the platform's pages: the only routes other origins may use. */
export const WIDGET_ROUTES = [
  "/widget.js",
  "/v1/suggest",
  "/v1/suggest/batch",
  "/v1/feedback",
  "/v1/tags",
];

function isWidgetRoute(url: string): boolean {
  const path = url.split("?", 1)[0] ?? "";
  return WIDGET_ROUTES.includes(path);
}

export async function buildApp(options: AppOptions): Promise<{ app: ServiceApp; drain: Drain }> {
  const { metrics, logger } = options;
  const http = options.http ?? {};
  const bodyLimit = http.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const limitPerMinute = http.rateLimit ?? DEFAULT_RATE_LIMIT;
  const drain: Drain = { draining: false, inflight: 0 };

  const sendError = (reply: FastifyReply, error: ApiError) => {
    metrics.errors.inc({ code: error.code, status: String(error.statusCode) });
    return reply
      .code(error.statusCode)
      .headers(error.headers)
      .type("application/json; charset=utf-8")
      .send(error.body());
  };

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit,
    trustProxy: http.trustProxy ?? false,
    // One log line per request, written in onResponse below.
    logController: new LogController({
      disableRequestLogging: true,
      requestIdLogLabel: "request_id",
    }),
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Shutdown answers new requests itself (503 with the API's error body) while in-flight ones finish.
    return503OnClosing: false,
    forceCloseConnections: false,
    frameworkErrors: (error, request, reply) => {
      sendError(reply, toApiError(error, bodyLimit, request.url));
    },
    clientErrorHandler: answerClientError,
  }).withTypeProvider<ZodTypeProvider>();
  app.decorateRequest("modelId", undefined);
  app.decorateRequest("contentId", undefined);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Only JSON bodies: text/plain gets 415 instead of reaching the schema as a string.
  app.removeContentTypeParser("text/plain");
  app.removeContentTypeParser("application/json");
  const jsonBodies = jsonBodyParser(http.bodyIdleMs ?? DEFAULT_BODY_IDLE_MS);
  app.addContentTypeParser("application/json", jsonBodies.parse);
  app.addHook("onClose", async () => jsonBodies.stop());

  const allowedMethods = routeMethods(app);

  // Every response says its request id, a CORS preflight's included: set before any other hook can answer.
  app.addHook("onRequest", (request, reply, done) => {
    reply.header("x-request-id", request.id);
    done();
  });

  app.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions.url ?? "unmatched";
    const status = reply.statusCode;
    const seconds = reply.elapsedTime / 1000;
    metrics.requestSeconds.observe(
      { method: request.method, route, status: String(status), model: request.modelId ?? "none" },
      seconds,
    );
    request.log.info(
      {
        method: request.method,
        url: request.url,
        route,
        status,
        ms: Math.round(reply.elapsedTime * 100) / 100,
        ...(request.modelId ? { model: request.modelId } : {}),
        ...(request.contentId !== undefined ? { content_id: request.contentId } : {}),
      },
      "request",
    );
    done();
  });

  app.setErrorHandler((error, request, reply) => {
    const answer = toApiError(error, request.routeOptions.bodyLimit ?? bodyLimit);
    if (answer.code === "internal")
      request.log.error({ err: error }, "unexpected error answering a request (a bug)");
    // The client hears only that the database is down; where and why is for the operator.
    else if (answer.code === "store_unavailable" && error !== answer)
      request.log.warn({ err: error }, "content database unavailable");
    return sendError(reply, answer);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? request.url;
    const allowed = allowedMethods(path);
    if (allowed) {
      const allow = [...allowed].sort();
      return sendError(
        reply,
        new ApiError(
          "method_not_allowed",
          `${request.method} is not allowed on ${path}: use ${allow.join(" or ")}`,
          { allow },
          { allow: allow.join(", ") },
        ),
      );
    }
    return sendError(
      reply,
      new ApiError("not_found", `no route ${path}: see /openapi.json or /docs for the API`, {
        field: "path",
      }),
    );
  });

  const crossOrigin = {
    // Any origin: the widget's routes hold nothing private and take no credentials.
    origin: "*",
    methods: ["GET", "POST"],
    exposedHeaders: ["x-request-id", "retry-after"],
    maxAge: 600,
    // An OPTIONS request that is not a real preflight gets the same empty 204, not an error in another shape.
    strictPreflight: false,
  };
  await app.register(cors, {
    // Pages elsewhere may use what the widget uses; saved content and the admin routes answer only the editor and
    // console this service serves itself, so a page on any site cannot read or overwrite a local instance's content.
    delegator: (request, callback) =>
      callback(null, isWidgetRoute(request.url) ? crossOrigin : { ...crossOrigin, origin: false }),
  });

  // Added after the CORS plugin's hook, so the refusals it answers itself carry the CORS headers: a widget on another
  // site must be able to read a 503 it should retry, not see "failed to fetch".
  app.addHook("onRequest", (request, reply, done) => {
    if (drain.draining) {
      sendError(reply, shuttingDown());
      return;
    }
    // "OPTIONS * HTTP/1.1" (or GET *) asks about the server as a whole, which no route is: answered as such, before a
    // route or the static files could take "*" for one of theirs.
    const target = request.url.startsWith("/")
      ? malformedUrl(request.url)
      : new ApiError(
          "not_found",
          `no route answers ${JSON.stringify(request.url.slice(0, 100))}: the API's paths start with / (GET /openapi.json lists them)`,
          { field: "path" },
        );
    if (target) {
      sendError(reply, target);
      return;
    }
    drain.inflight++;
    // "close" comes for every response that was started, finished or aborted; a request pipelined behind one whose
    // answer closed the connection (a refused body) never gets a response, so its socket's close counts too. Once.
    const socket = request.raw.socket;
    const release = () => {
      reply.raw.off("close", release);
      socket?.off("close", release);
      drain.inflight--;
    };
    reply.raw.once("close", release);
    socket?.once("close", release);
    done();
  });

  if (limitPerMinute > 0)
    await app.register(rateLimit, {
      max: limitPerMinute,
      timeWindow: 60_000,
      // Probes, metrics and docs are never limited: only the API routes are.
      allowList: (request) => !request.url.startsWith("/v1/"),
      errorResponseBuilder: (_request, context) =>
        new ApiError(
          "rate_limited",
          `too many requests from this client: at most ${context.max} per minute; retry in ${context.after}`,
          { limit: context.max, retry_after_seconds: Math.ceil(context.ttl / 1000) },
        ),
    });

  await app.register(swagger, openApiOptions(options.version));
  await app.register(swaggerUi, { routePrefix: "/docs" });

  /** The model for this request, read once; 503 until one is loaded. */
  const modelFor = (request: FastifyRequest): ServedModel => {
    const model = options.model();
    if (!model) throw notReady();
    request.modelId = model.ref.id;
    return model;
  };

  registerSuggestRoutes(app, { modelFor, metrics });
  registerContentRoutes(app, {
    store: options.store ?? null,
    taxonomy: (request) => modelFor(request).taxonomy,
  });
  registerUiRoutes(app);
  await registerAdminRoutes(app, options.adminToken ?? null, (admin) => {
    registerModelRoutes(admin, { origin: options.origin ?? null });
    registerOnlineMetricsRoutes(admin, { store: options.store ?? null });
    // Proposals are checked against the served taxonomy when a model is loaded, stored unchecked otherwise.
    registerReviewRoutes(admin, {
      store: options.store ?? null,
      taxonomy: () => options.model()?.taxonomy ?? null,
    });
  });

  registerOperationsRoutes(app, {
    model: options.model,
    ...(options.productionFailure ? { productionFailure: options.productionFailure } : {}),
    metrics,
    ...(options.metricsText ? { metricsText: options.metricsText } : {}),
  });

  await app.ready();
  return { app, drain };
}
