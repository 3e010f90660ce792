// The admin side of the API (review queue, online metrics, taxonomy candidates, model versions) sits behind one
// bearer token; authors' routes stay open (and rate-limited). Without the token an admin route answers 401 and
// nothing else: no data, no hint of what is there.

import { timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import type { ServiceApp } from "./app.js";
import { ApiError } from "./errors.js";

/** Compared in constant time, so response timing does not reveal how much of a guess was right. */
function sameToken(given: string, expected: Buffer): boolean {
  const buffer = Buffer.from(given);
  return buffer.length === expected.length && timingSafeEqual(buffer, expected);
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * Registers `routes` in a scope where every request must carry `Authorization: Bearer <token>`. A null token (none
 * configured) refuses every admin request.
 */
export async function registerAdminRoutes(
  app: ServiceApp,
  token: string | null,
  routes: (admin: ServiceApp) => void | Promise<void>,
): Promise<void> {
  const expected = token ? Buffer.from(token) : null;
  await app.register(async (admin) => {
    // Whatever a query string holds on these routes, a token tried as ?token= say, stays out of the log.
    admin.addHook("onRoute", (route) => {
      route.config = { ...route.config, unloggedQuery: true };
    });
    admin.addHook("onRequest", async (request) => {
      const given = bearer(request);
      if (!expected)
        throw new ApiError(
          "unauthorized",
          "admin routes are disabled: start the service with TAGSMITH_ADMIN_TOKEN set",
          {},
          { "www-authenticate": 'Bearer realm="tagsmith-admin"' },
        );
      if (!given || !sameToken(given, expected))
        throw new ApiError(
          "unauthorized",
          given
            ? "the admin token sent is not this service's: send the token it was started with (TAGSMITH_ADMIN_TOKEN, or the one it printed at start)"
            : "an admin token is required: send Authorization: Bearer <token> (the token the service was started with)",
          {},
          { "www-authenticate": 'Bearer realm="tagsmith-admin"' },
        );
    });
    await routes(admin as ServiceApp);
  });
}
