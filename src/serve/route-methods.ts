// Methods per path, for 405 with an Allow header: Fastify answers a known path with an unknown method as 404.

import type { FastifyInstance } from "fastify";

/**
 * Records every route's methods as routes are added (call before registering them); the returned lookup gives a
 * path's methods, matching paths with parameters (/v1/content/:id) as patterns, or undefined for an unknown path.
 */
export function routeMethods(
  app: Pick<FastifyInstance, "addHook">,
): (path: string) => Set<string> | undefined {
  const methods = new Map<string, { pattern: RegExp; methods: Set<string> }>();
  app.addHook("onRoute", (route) => {
    const entry = methods.get(route.url) ?? {
      pattern: new RegExp(
        `^${route.url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:[^/]+/g, "[^/]+")}$`,
      ),
      methods: new Set<string>(),
    };
    for (const m of [route.method].flat()) entry.methods.add(m);
    methods.set(route.url, entry);
  });
  return (path) =>
    methods.get(path)?.methods ??
    [...methods.values()].find((entry) => entry.pattern.test(path))?.methods;
}
