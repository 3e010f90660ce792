// Watching requests: each gets an id (the client's, if it sent a usable one), says it in an x-request-id header, and
// leaves one log line and one latency observation when answered; every error answered is counted by its code.

import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FastifyReply } from "fastify";
import type { ServiceApp } from "./app.js";
import type { ApiError } from "./errors.js";
import type { ServiceMetrics } from "./metrics.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The model version that answered, for the latency metric and the log line. */
    modelId: string | undefined;
    /** The platform's id of the content, when the client sent one: in the log line, for joining feedback. */
    contentId: string | number | undefined;
  }
}

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/** The request's id: the client's X-Request-Id when it is one we can log as it is, else a new UUID. */
export function requestId(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Answers an ApiError in the API's error shape. */
export type SendError = (reply: FastifyReply, error: ApiError) => FastifyReply;

/** How every error is answered: its status, headers and body, counted by code and status. */
export function errorSender(metrics: ServiceMetrics): SendError {
  return (reply, error) => {
    metrics.errors.inc({ code: error.code, status: String(error.statusCode) });
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
}
