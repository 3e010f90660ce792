// /metrics counts every answered request by route and status: client errors, and refusals before any route (an
// unknown path, a malformed URL or HTTP request, a service shutting down), with "unmatched" for a route never matched
// and a 405 labelled by the route its path has.

import type { AddressInfo } from "node:net";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, type Drain, type ServiceApp } from "../../src/serve/app.js";
import { createMetrics } from "../../src/serve/metrics.js";
import { postJson, send, silentLogger } from "../support/serve.js";

let app: ServiceApp;
let drain: Drain;
let url: string;

beforeAll(async () => {
  // No model: the requests here are refused before one would be asked.
  ({ app, drain } = await buildApp({
    model: () => null,
    logger: silentLogger(),
    metrics: createMetrics(),
    version: "test",
    http: { rateLimit: 0 },
  }));
  await app.listen({ port: 0, host: "127.0.0.1" });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app?.close();
});

/** The value of one series in the Prometheus text, 0 when it is absent. */
function series(text: string, name: string, labels: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${labels}} `));
  return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
}

const requests = (text: string, labels: string) =>
  series(text, "tagsmith_http_request_duration_seconds_count", labels);

/** A request no HTTP client would send, written on a socket; resolves with the status line. */
function rawRequest(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(url).port), "127.0.0.1", () => socket.write(request));
    let received = "";
    socket.on("data", (d) => {
      received += d.toString();
    });
    socket.on("end", () => resolve(received.slice(0, received.indexOf("\r\n"))));
    socket.on("error", reject);
  });
}

describe("GET /metrics", () => {
  it("counts 400s and 404s by route and status, an unknown path as route unmatched", async () => {
    expect((await postJson(url, "/v1/suggest", { title: 3 })).status).toBe(400);
    expect((await send(url, { path: "/no/such/path-x7" })).status).toBe(404);
    const text = (await send(url, { path: "/metrics" })).text;
    expect(
      requests(text, 'method="POST",route="/v1/suggest",status="400",model="none"'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      requests(text, 'method="GET",route="unmatched",status="404",model="none"'),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain("path-x7");
    expect(series(text, "tagsmith_http_errors_total", 'code="not_found",status="404"')).toBe(1);
  });

  it("labels a 405 by the route of its path, which exists, not as unmatched", async () => {
    expect((await send(url, { method: "DELETE", path: "/v1/suggest" })).status).toBe(405);
    expect((await send(url, { method: "DELETE", path: "/v1/content/41" })).status).toBe(405);
    const text = (await send(url, { path: "/metrics" })).text;
    expect(requests(text, 'method="DELETE",route="/v1/suggest",status="405",model="none"')).toBe(1);
    expect(
      requests(text, 'method="DELETE",route="/v1/content/:id",status="405",model="none"'),
    ).toBe(1);
    expect(requests(text, 'method="DELETE",route="unmatched",status="405",model="none"')).toBe(0);
    expect(
      series(text, "tagsmith_http_errors_total", 'code="method_not_allowed",status="405"'),
    ).toBe(2);
  });

  it("labels methods outside HTTP's usual few as other, so made-up ones add no series", async () => {
    for (const method of ["PROPFIND", "MKCOL", "LOCK"])
      expect((await send(url, { method, path: "/v1/suggest" })).status).toBe(405);
    const text = (await send(url, { path: "/metrics" })).text;
    expect(requests(text, 'method="other",route="/v1/suggest",status="405",model="none"')).toBe(3);
    expect(text).not.toMatch(/method="(PROPFIND|MKCOL|LOCK)"/);
  });

  it("counts a malformed URL, which the router refuses before any hook, and gives it a request id", async () => {
    const before = (await send(url, { path: "/metrics" })).text;
    const refused = await send(url, { path: "/%ZZ-bad" });
    expect(refused.status).toBe(400);
    expect(refused.headers["x-request-id"]).toEqual(expect.any(String));
    const after = (await send(url, { path: "/metrics" })).text;
    const labels = 'method="GET",route="unmatched",status="400",model="none"';
    expect(requests(after, labels)).toBe(requests(before, labels) + 1);
    expect(after).not.toContain("ZZ-bad");
  });

  it("counts a request too malformed to parse in the errors by code", async () => {
    const errors = 'code="invalid_request",status="400"';
    const before = series(
      (await send(url, { path: "/metrics" })).text,
      "tagsmith_http_errors_total",
      errors,
    );
    const status = await rawRequest(
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    );
    expect(status).toBe("HTTP/1.1 400 Bad Request");
    const after = (await send(url, { path: "/metrics" })).text;
    expect(series(after, "tagsmith_http_errors_total", errors)).toBe(before + 1);
  });

  it("counts the 503s of a service shutting down", async () => {
    drain.draining = true;
    try {
      expect((await app.inject({ url: "/v1/tags" })).statusCode).toBe(503);
      expect((await app.inject({ url: "/nothing-here" })).statusCode).toBe(503);
    } finally {
      drain.draining = false;
    }
    const text = (await send(url, { path: "/metrics" })).text;
    expect(requests(text, 'method="GET",route="/v1/tags",status="503",model="none"')).toBe(1);
    expect(requests(text, 'method="GET",route="unmatched",status="503",model="none"')).toBe(1);
    expect(series(text, "tagsmith_http_errors_total", 'code="shutting_down",status="503"')).toBe(2);
  });
});
