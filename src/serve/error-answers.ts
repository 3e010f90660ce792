// How the app answers what no route answers: errors thrown while answering, unknown paths (404) and methods (405),
// request targets no route could take, and the framework's own refusals, all in the API's error shape.

import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { ServiceApp } from "./app.js";
import { ApiError, malformedUrl, toApiError } from "./errors.js";
import type { SendError } from "./observation.js";
import { routeMethods } from "./route-methods.js";

/** Fastify's refusals of a body's Content-Type, which it makes before knowing no route takes the request. */
const UNROUTED_BODY_CHECKS = new Set([
  "FST_ERR_ROUTE_MISSING_CONTENT_TYPE",
  "FST_ERR_CTP_INVALID_MEDIA_TYPE",
]);

/**
 * The error handler and the not-found handler (404, or 405 with Allow for a known path). Call before registering
 * routes: their methods are recorded as they are added.
 */
export function answerErrors(app: ServiceApp, sendError: SendError, bodyLimit: number): void {
  const knownRoute = routeMethods(app);

  /** 404, or 405 with Allow for a path whose route lacks this method. */
  const answerUnrouted = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split("?")[0] ?? request.url;
    const route = knownRoute(path);
    if (route) {
      // The path has a route, only not for this method: its pattern labels the latency metric, not "unmatched".
      request.knownRoute = route.url;
      const allow = [...route.methods].sort();
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
  };

  app.setErrorHandler((error, request, reply) => {
    // Fastify checks a body's Content-Type before the not-found handler runs (a QUERY request must have one): a
    // request no route takes is answered as such, whatever its body would have been.
    if (request.is404 && UNROUTED_BODY_CHECKS.has((error as { code?: string }).code ?? ""))
      return answerUnrouted(request, reply);
    const answer = toApiError(error, request.routeOptions.bodyLimit ?? bodyLimit);
    if (answer.code === "internal")
      request.log.error({ err: error }, "unexpected error answering a request (a bug)");
    // The client hears only that the database is down; where and why is for the operator.
    else if (answer.code === "store_unavailable" && error !== answer)
      request.log.warn({ err: error }, "content database unavailable");
    else if (answer.code === "store_outcome_unknown")
      request.log.warn(
        { err: error },
        "content database connection lost during COMMIT: the change may or may not be saved",
      );
    // Retried already, in the store: many clients writing the same content and tags at once.
    else if (answer.code === "store_busy")
      request.log.warn({ err: error }, "content database busy: a transaction kept conflicting");
    // Not an outage that passes: every store route fails until someone restarts the service.
    else if (answer.code === "store_tables_gone")
      request.log.error(
        { err: error },
        "the content database lost tagsmith's tables: restart the service to create them again",
      );
    return sendError(reply, answer);
  });

  app.setNotFoundHandler(answerUnrouted);
}

/** Fastify's `frameworkErrors`: what its router refuses (a malformed URL, say), answered as the API answers. */
export function answerFrameworkErrors(
  sendError: SendError,
  bodyLimit: number,
): (error: Error, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    sendError(reply, toApiError(error, bodyLimit, request.url));
  };
}

/**
 * Refuses request targets no route should see: a path or query string with a malformed percent-encoding (400), and
 * "OPTIONS * HTTP/1.1" (or GET *), which asks about the server as a whole, which no route is (404): answered as such,
 * before a route or the static files could take "*" for one of theirs.
 */
export function refuseMalformedTargets(app: ServiceApp, sendError: SendError): void {
  app.addHook("onRequest", (request, reply, done) => {
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
    done();
  });
}

/** The query string of a /v1 route that takes no parameters: any is refused, naming it ("x: unknown field"). */
const NO_QUERY = z.strictObject({});

/**
 * Every /v1 route refuses a query parameter it does not take, with a 400 naming it, as those with parameters do: a
 * parameter sent to the wrong place (?limit=3 on POST /v1/suggest, whose limit is in the body) is said, not ignored.
 * The pages, the widget script and the probes take none and ignore any (a host's cache-busting /widget.js?v=2).
 * Call before registering routes.
 */
export function refuseQueriesNotTaken(app: ServiceApp): void {
  app.addHook("onRoute", (route) => {
    if (route.url?.startsWith("/v1/") && !route.schema?.querystring)
      route.schema = { ...route.schema, querystring: NO_QUERY };
  });
}
