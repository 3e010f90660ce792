// Methods per path, for 405 with an Allow header: Fastify answers a known path with an unknown method as 404.

import type { FastifyInstance } from "fastify";

/** A known path's route: its pattern as registered (/v1/content/:id) and every method it answers. */
export interface KnownRoute {
  url: string;
  methods: Set<string>;
}

/**
 * Records every route's methods as routes are added (call before registering them); the returned lookup gives the
 * route of a path, matching paths with parameters (/v1/content/:id) as patterns, or undefined for an unknown path.
 */
export function routeMethods(
  app: Pick<FastifyInstance, "addHook">,
): (path: string) => KnownRoute | undefined {
  const routes = new Map<string, KnownRoute & { pattern: RegExp }>();
  app.addHook("onRoute", (route) => {
    const entry = routes.get(route.url) ?? {
      url: route.url,
      pattern: new RegExp(
        `^${route.url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:[^/]+/g, "[^/]+")}$`,
      ),
      methods: new Set<string>(),
    };
    for (const m of [route.method].flat()) entry.methods.add(m);
    routes.set(route.url, entry);
  });
  return (path) =>
    routes.get(path) ?? [...routes.values()].find((entry) => entry.pattern.test(path));
}
