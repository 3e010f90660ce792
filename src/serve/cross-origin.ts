// Cross-origin policy: pages on other sites may call what the embedded widget calls, and nothing else.

import cors from "@fastify/cors";
import type { ServiceApp } from "./app.js";

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

/** The response headers a page on another origin may read. */
export const EXPOSED_HEADERS = ["x-request-id", "retry-after"];

const crossOrigin = {
  // Any origin: the widget's routes hold nothing private and take no credentials.
  origin: "*",
  methods: ["GET", "POST"],
  exposedHeaders: EXPOSED_HEADERS,
  maxAge: 600,
  // An OPTIONS request that is not a real preflight gets the same empty 204, not an error in another shape.
  strictPreflight: false,
};

export async function allowCrossOrigin(app: ServiceApp): Promise<void> {
  await app.register(cors, {
    // Pages elsewhere may use what the widget uses; saved content and the admin routes answer only the editor and
    // console this service serves itself, so a page on any site cannot read or overwrite a local instance's content.
    delegator: (request, callback) =>
      callback(null, isWidgetRoute(request.url) ? crossOrigin : { ...crossOrigin, origin: false }),
  });
}
