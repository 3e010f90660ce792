// DNS rebinding: a page on another site can point its own host name at 127.0.0.1 and so become same-origin with a
// service on this machine. A service listening on a loopback address answers only requests that name a loopback host;
// one listening elsewhere (behind an ingress, on 0.0.0.0) is reached by names of its own and takes any.

import { isIP } from "node:net";
import type { ServiceApp } from "./app.js";
import { ApiError } from "./errors.js";
import type { SendError } from "./observation.js";

/** Host names (without a port) that only this machine answers to. */
function isLoopbackName(name: string): boolean {
  const host = name.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host === "::1" || host === "[::1]") return true;
  return isIP(host) === 4 && host.startsWith("127.");
}

/** The host name of a Host header, without its port: "[::1]:8080" -> "[::1]", "localhost:80" -> "localhost". */
function hostName(header: string): string {
  if (header.startsWith("[")) return header.slice(0, header.indexOf("]") + 1);
  return header.replace(/:\d*$/, "");
}

/**
 * On a loopback `listenHost`, a request whose Host header names any other host is answered 421 misdirected_request
 * before anything else looks at it. A request without Host (HTTP/1.0) names no site, so no page sent it.
 */
export function refuseForeignHosts(
  app: ServiceApp,
  listenHost: string,
  sendError: SendError,
): void {
  if (!isLoopbackName(listenHost)) return;
  app.addHook("onRequest", (request, reply, done) => {
    const header = request.headers.host;
    if (header === undefined || isLoopbackName(hostName(header))) return done();
    sendError(
      reply,
      new ApiError(
        "misdirected_request",
        `this service listens on ${listenHost}, a loopback address, and answers only requests to localhost, 127.0.0.1 or [::1], not to "${hostName(header).slice(0, 100)}": a page on another site may have pointed that name here; open it by one of those names, or start the service on another --host`,
        { field: "host" },
      ),
    );
  });
}
