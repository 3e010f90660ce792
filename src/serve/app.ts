// The HTTP service as one Fastify app: zod validation (the schemas that also give the OpenAPI document), and the
// parts it is made of, each in its own file: request ids, log lines and metrics (observation.ts), error answers
// (error-answers.ts, errors.ts), shutdown draining (drain.ts), cross-origin policy (cross-origin.ts), the rate limit
// (rate-limit.ts), JSON bodies (json-body.ts) and the routes (the *-routes.ts files).

import type { IncomingMessage, ServerResponse } from "node:http";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
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
import { type ConnectionLimits, connectionDeadlines, maxConnections } from "./connections.js";
import { registerContentRoutes } from "./content-routes.js";
import { allowCrossOrigin } from "./cross-origin.js";
import { countInflight, type Drain, refuseWhileDraining } from "./drain.js";
import {
  answerErrors,
  answerFrameworkErrors,
  refuseMalformedTargets,
  refuseQueriesNotTaken,
} from "./error-answers.js";
import { InvalidRequestError, notReady, requestErrorMap } from "./errors.js";
import { refuseForeignHosts } from "./host-check.js";
import { acceptJsonBodies, DEFAULT_BODY_IDLE_MS } from "./json-body.js";
import { DEFAULT_BODY_LIMIT, DEFAULT_RATE_LIMIT, MAX_PATH_PARAM_CHARS } from "./limits.js";
import type { ServiceMetrics } from "./metrics.js";
import { registerModelRoutes } from "./model-routes.js";
import type { LoadFailure, ModelOrigin } from "./model-source.js";
import {
  countedClientErrors,
  errorSender,
  observedFrameworkErrors,
  observeRequests,
  requestId,
} from "./observation.js";
import { registerOnlineMetricsRoutes } from "./online-metrics-routes.js";
import { openApiOptions } from "./openapi.js";
import { registerOperationsRoutes } from "./operations-routes.js";
import { limitRequestRate } from "./rate-limit.js";
import { registerReviewRoutes } from "./review-routes.js";
import type { ServedModel } from "./served-model.js";
import { registerSuggestRoutes } from "./suggest-routes.js";
import { registerUiRoutes } from "./ui-routes.js";

export type { Drain } from "./drain.js";

/**
 * How the HTTP layer treats requests: limits, the client address and cross-origin calls. Declared once, given by
 * `tagsmith serve`'s options and passed through the service and server unchanged.
 */
export interface HttpPolicy extends ConnectionLimits {
  /** Largest request body in bytes (413 above). */
  bodyLimit?: number;
  /** How long a request body may pause before the request is answered 408 and its connection closed. */
  bodyIdleMs?: number;
  /** Requests per minute per client address on /v1 routes (429 above); 0 turns the limit off. */
  rateLimit?: number;
  /**
   * Behind proxies or an ingress: how many of them (hops) to trust, the client address being the X-Forwarded-For
   * entry that many hops back from this service (for the rate limit and logs); 0 or absent: the connection's address.
   * Never all of them: the leftmost entries are whatever the client wrote.
   */
  trustProxy?: number;
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
  /** The address the service listens on: on a loopback one, requests must name a loopback host (host-check.ts). */
  listenHost?: string;
  /** Where content and feedback are kept; without one those routes answer 503 no_store. */
  store?: ContentStore | null;
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

/**
 * The /docs pages' Content-Security-Policy: never framed (its "Try it out" forms can write content, so a page that
 * framed it could trick a click), its own scripts only; Swagger UI sets inline styles, and draws a few images as data:
 * URLs. Not the plugin's own (staticCSP: true), whose upgrade-insecure-requests breaks it over plain HTTP.
 */
const DOCS_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export type ServiceApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export async function buildApp(options: AppOptions): Promise<{ app: ServiceApp; drain: Drain }> {
  const { metrics, logger } = options;
  const http = options.http ?? {};
  const bodyLimit = http.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const drain: Drain = { draining: false, inflight: 0 };
  const sendError = errorSender(metrics);

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit,
    ...connectionDeadlines(http),
    // By hop, not Fastify's number (which this version trusts no proxy for, and its types refuse): the connection's
    // peer is hop 0, the X-Forwarded-For entries are further hops, rightmost first.
    trustProxy: http.trustProxy
      ? (_address: string, hop: number) => hop < (http.trustProxy ?? 0)
      : false,
    // One log line per request, written by observeRequests.
    logController: new LogController({
      disableRequestLogging: true,
      requestIdLogLabel: "request_id",
    }),
    requestIdHeader: false,
    genReqId: requestId,
    // The longest path parameter is a candidate tag, as long as content's tags may be: the router's default, 100,
    // refused longer ones before the route's schema could name the field. Twice that, so the schema names a tag
    // somewhat too long; past it, the router's refusal (MAX_PATH_PARAM_CHARS in errors.ts).
    routerOptions: { maxParamLength: MAX_PATH_PARAM_CHARS },
    // Shutdown answers new requests itself (503 with the API's error body) while in-flight ones finish.
    return503OnClosing: false,
    forceCloseConnections: false,
    frameworkErrors: observedFrameworkErrors(metrics, answerFrameworkErrors(sendError, bodyLimit)),
    clientErrorHandler: countedClientErrors(metrics),
  }).withTypeProvider<ZodTypeProvider>();
  app.server.maxConnections = maxConnections(http);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  acceptJsonBodies(app, http.bodyIdleMs ?? DEFAULT_BODY_IDLE_MS);

  observeRequests(app, metrics);
  if (options.listenHost) refuseForeignHosts(app, options.listenHost, sendError);
  answerErrors(app, sendError, bodyLimit);
  await allowCrossOrigin(app);
  // After the CORS plugin's hook, so the refusals they answer carry the CORS headers: a widget on another site must
  // be able to read a 503 it should retry, not see "failed to fetch".
  refuseWhileDraining(app, drain, sendError);
  refuseMalformedTargets(app, sendError);
  refuseQueriesNotTaken(app);
  countInflight(app, drain);
  await limitRequestRate(app, http.rateLimit ?? DEFAULT_RATE_LIMIT);

  await app.register(swagger, openApiOptions(options.version));
  await app.register(swaggerUi, { routePrefix: "/docs", staticCSP: DOCS_POLICY });
  await registerRoutes(app, options);

  await app.ready();
  return { app, drain };
}

/** Every route: the authors' API, the editor and widget, the admin API behind its token, and operations. */
async function registerRoutes(app: ServiceApp, options: AppOptions): Promise<void> {
  const { metrics } = options;
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
}
