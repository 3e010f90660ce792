// The rate limit: requests per minute per client address on the /v1 routes, answered 429 rate_limited above it,
// before anything else looks at the request (the admin token included).

import rateLimit from "@fastify/rate-limit";
import type { ServiceApp } from "./app.js";
import { ApiError } from "./errors.js";

/** At most `perMinute` requests a minute per client on /v1 routes; 0 sets no limit. */
export async function limitRequestRate(app: ServiceApp, perMinute: number): Promise<void> {
  if (perMinute <= 0) return;
  await app.register(rateLimit, {
    // Not the plugin's route-level hooks: those run after the admin scope's token check, so a wrong token was
    // answered 401 before the limit saw it, and guesses went unlimited and uncounted. One hook on the root instead
    // (added below), which runs before every scope's: a refused admin request counts, and over the limit is a 429.
    global: false,
    max: perMinute,
    timeWindow: 60_000,
    // Probes, metrics and docs are never limited: only the API routes are. Decided by the route matched, not the URL
    // as sent: the router decodes percent-encoding, so "/%761/suggest" is /v1/suggest and must count as it does.
    allowList: (request) => !(request.routeOptions.url ?? "").startsWith("/v1/"),
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        "rate_limited",
        `too many requests from this client: at most ${context.max} per minute; retry in ${context.after}`,
        { limit: context.max, retry_after_seconds: Math.ceil(context.ttl / 1000) },
      ),
  });
  app.addHook("onRequest", app.rateLimit());
}
