// Watching requests: each gets an id (the client's, if it sent a usable one), says it in an x-request-id header, and
// leaves one log line and one latency observation when answered, 4xx and refusals before any route included; every
// error answered is counted by its code.

import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ServiceApp } from "./app.js";
import { answerClientError } from "./client-errors.js";
import type { ApiError } from "./errors.js";
import type { ServiceMetrics } from "./metrics.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /**
     * The route's query string is left out of its log line: the pages, which take none, and the admin API. One on
     * /admin may be the admin token, a native submit of the console's form having put it there (`/admin?token=...`)
     * before the form was kept hidden until its script runs, and a browser's history offering that address again;
     * one on the admin API may be a token tried as `?token=` or `?access_token=`.
     */
    unloggedQuery?: boolean;
  }
  interface FastifyRequest {
    /** The model version that answered, for the latency metric and the log line. */
    modelId: string | undefined;
    /** The platform's id of the content, when the client sent one: in the log line, for joining feedback. */
    contentId: string | number | undefined;
    /** The route pattern of a path answered 405 (the route exists, not for this method): the metric's route label. */
    knownRoute: string | undefined;
  }
}

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/** On every answer: a browser takes the Content-Type as sent, never guessing script or a page from the bytes. */
const EVERY_ANSWER = { "x-content-type-options": "nosniff" };
/** The routes whose answers are sent with Cache-Control: no-store. */
const PRIVATE_ROUTES = /^\/v1\/(admin\/|metrics\/online$|content(\/|$))/;

/** The request's id: the client's X-Request-Id when it is one we can log as it is, else a new UUID. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Answers an ApiError in the API's error shape. */
export type SendError = (reply: FastifyReply, error: ApiError) => FastifyReply;

function countError(metrics: ServiceMetrics, error: ApiError): void {
  metrics.errors.inc({ code: error.code, status: String(error.statusCode) });
}

/** How every error is answered: its status, headers and body, counted by code and status. */
export function errorSender(metrics: ServiceMetrics): SendError {
  return (reply, error) => {
    countError(metrics, error);
    return reply
      .code(error.statusCode)
      .headers(error.headers)
      .type("application/json; charset=utf-8")
      .send(error.body());
  };
}

/**
 * Every response says its request id, a CORS preflight's included (so call this before registering any other hook
 * that can answer), and every answered request is logged and timed by method, route, status and model.
 */
export function observeRequests(app: ServiceApp, metrics: ServiceMetrics): void {
  app.decorateRequest("modelId", undefined);
  app.decorateRequest("contentId", undefined);
  app.decorateRequest("knownRoute", undefined);

  app.addHook("onRequest", (request, reply, done) => {
    reply.header("x-request-id", request.id).headers(EVERY_ANSWER);
    // Saved content, admin data and online metrics are no cache's to keep, a refusal included.
    if (PRIVATE_ROUTES.test(request.routeOptions.url ?? ""))
      reply.header("cache-control", "no-store");
    done();
  });

  app.addHook("onResponse", (request, reply, done) => {
    observe(metrics, request, reply);
    done();
  });
}

/**
 * Fastify's `frameworkErrors`, observed: what its router refuses (a malformed URL) is answered by `answer` without
 * running any hook, so the request's id header, log line and latency are given here.
 */
export function observedFrameworkErrors(
  metrics: ServiceMetrics,
  answer: (error: Error, request: FastifyRequest, reply: FastifyReply) => void,
): (error: Error, request: FastifyRequest, reply: FastifyReply) => void {
  return (error, request, reply) => {
    reply.header("x-request-id", request.id).headers(EVERY_ANSWER);
    answer(error, request, reply);
    observe(metrics, request, reply);
  };
}

/**
 * Node's `clientError`, counted: a request too malformed to parse is answered on its socket (client-errors.ts), with
 * no method or route to label it by, so it is counted in the errors by code and status only.
 */
export function countedClientErrors(
  metrics: ServiceMetrics,
): (error: Error, socket: Socket) => void {
  return (error, socket) => {
    const answered = answerClientError(error, socket);
    if (answered) countError(metrics, answered);
  };
}

/**
 * Methods a latency series is labelled by; any other (Node parses some 34: PROPFIND, MKCOL, ...) is "other", so that
 * anyone sending made-up methods to every route cannot add series by the hundred (15 lines each) to /metrics.
 */
const LABELLED_METHODS = new Set([
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "OPTIONS",
  "QUERY",
]);

/**
 * One answered request: a latency observation and a log line. A request is labelled by its route's pattern, also when
 * answered 405 (the path's route exists, not for that method: method="DELETE",route="/v1/suggest",status="405"); a
 * request no route matched is labelled "unmatched", never by its path, so a scan of made-up paths adds no series.
 */
function observe(metrics: ServiceMetrics, request: FastifyRequest, reply: FastifyReply): void {
  const route = request.routeOptions.url ?? request.knownRoute ?? "unmatched";
  const status = reply.statusCode;
  const seconds = reply.elapsedTime / 1000;
  const method = LABELLED_METHODS.has(request.method) ? request.method : "other";
  metrics.requestSeconds.observe(
    { method, route, status: String(status), model: request.modelId ?? "none" },
    seconds,
  );
  request.log.info(
    {
      method: request.method,
      // A path no route matched is logged without its query too: "/admin/?token=..." tried the console's address.
      url:
        request.routeOptions.config?.unloggedQuery || route === "unmatched"
          ? request.url.split("?")[0]
          : request.url,
      route,
      status,
      ms: Math.round(reply.elapsedTime * 100) / 100,
      ...(request.modelId ? { model: request.modelId } : {}),
      ...(request.contentId !== undefined ? { content_id: request.contentId } : {}),
    },
    "request",
  );
}
