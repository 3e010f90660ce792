// The browser side: the content editor at /, the admin console at /admin and the embeddable widget at /widget.js,
// as `npm run build` bundled them into dist/ui/. A few small files read once at start; a static-file plugin would
// add a directory walk and options for nothing. Hosts embed the widget from other origins, so /widget.js may be
// loaded cross-origin.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { FastifyReply } from "fastify";
import { z } from "zod";
import { PACKAGE_ROOT } from "../files/index.js";
import type { ServiceApp } from "./app.js";
import { ApiError } from "./errors.js";
import { ROUTE_ERRORS } from "./responses.js";

export const UI_DIR = join(PACKAGE_ROOT, "dist/ui");

const FILES = [
  { route: "/", file: "index.html", type: "text/html; charset=utf-8" },
  { route: "/editor.js", file: "editor.js", type: "text/javascript; charset=utf-8" },
  { route: "/base.css", file: "base.css", type: "text/css; charset=utf-8" },
  { route: "/editor.css", file: "editor.css", type: "text/css; charset=utf-8" },
  { route: "/widget.js", file: "widget.js", type: "text/javascript; charset=utf-8" },
  { route: "/admin", file: "admin.html", type: "text/html; charset=utf-8" },
  { route: "/admin.js", file: "admin.js", type: "text/javascript; charset=utf-8" },
  { route: "/admin.css", file: "admin.css", type: "text/css; charset=utf-8" },
] as const;

/** The pages, as opposed to their scripts and styles: listed in the OpenAPI document, sent with PAGE_POLICY. */
const PAGES: Record<string, string> = { "/": "The content editor", "/admin": "The admin console" };

/**
 * The pages may run only their own scripts and talk only to this service: text an author typed can never become
 * script, whatever a rendering bug would otherwise let through. The admin console's charts need nothing more:
 * Chart.js draws on canvas, with no eval and no injected stylesheet.
 */
const PAGE_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export function registerUiRoutes(app: ServiceApp, dir = UI_DIR): void {
  for (const { route, file, type } of FILES) {
    const path = join(dir, file);
    // Absent when only tsc ran (tests from source): the API works, the page says how to build it.
    const body = existsSync(path) ? readFileSync(path) : null;
    // Compressed once here rather than per request: the widget goes to every author's page (33 kB, 12 kB gzipped).
    const gzipped = body ? gzipSync(body, { level: 9 }) : null;
    app.get(
      route,
      {
        config: { unloggedQuery: Boolean(PAGES[route]) },
        schema: {
          tags: ["ui"],
          summary: PAGES[route] ?? `The UI's ${file}`,
          hide: !PAGES[route] && route !== "/widget.js",
          response: {
            200: { description: type, content: { [type]: { schema: z.string() } } },
            ...ROUTE_ERRORS,
          },
        },
      },
      async (request, reply) => {
        if (!body || !gzipped)
          throw new ApiError(
            "not_found",
            `${file} is not built: run npm run build (it bundles the UI into ${dir})`,
            { field: "path" },
          );
        // Pages are revalidated every time; scripts and styles are kept five minutes, so a new build reaches
        // authors' pages soon without every page view fetching the widget again.
        reply
          .type(type)
          .header("cache-control", PAGES[route] ? "no-cache" : "public, max-age=300")
          .header("vary", "accept-encoding");
        if (PAGES[route]) reply.header("content-security-policy", PAGE_POLICY);
        // Bytes go out as they are (Fastify serializes no Buffer); the type provider knows only the documented text.
        const bytes = reply as unknown as FastifyReply;
        if (/\bgzip\b/.test(String(request.headers["accept-encoding"] ?? "")))
          return bytes.header("content-encoding", "gzip").send(gzipped);
        return bytes.send(body);
      },
    );
  }
}
