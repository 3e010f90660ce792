// Slow and idle clients over real HTTP on loopback: headers or a body that trickle in, a connection that says nothing,
// and more connections than the process takes, each closed rather than kept for ever.

import { connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { send, serveForTest, useSampleServer } from "../support/serve.js";

const HEADERS_MS = 300;
const REQUEST_MS = 800;
const service = useSampleServer({
  http: { headersTimeoutMs: HEADERS_MS, requestTimeoutMs: REQUEST_MS },
});

/** Node checks deadlines a quarter of the headers deadline apart; the rest is a loaded machine's scheduling. */
const SLACK_MS = 700;

interface Held {
  /** Resolves when the server closes the connection: how long it was open, and what the server sent. */
  closed: Promise<{ ms: number; text: string }>;
  socket: Socket;
}

/** A raw connection that writes `first`, then `drip` every 100 ms (if given) until the server closes it. */
function hold(port: number, first: string, drip?: string): Held {
  const start = Date.now();
  const socket = connect(port, "127.0.0.1", () => socket.write(first));
  const timer = drip
    ? setInterval(() => {
        if (socket.writable) socket.write(drip);
      }, 100)
    : undefined;
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  socket.on("error", () => {});
  const closed = new Promise<{ ms: number; text: string }>((resolve) =>
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ ms: Date.now() - start, text: Buffer.concat(chunks).toString("utf8") });
    }),
  );
  return { closed, socket };
}

describe("slow clients", () => {
  it("headers that never end: 408 request_timeout and the connection closed once the headers deadline passes", async () => {
    const { port } = service.server();
    const { closed } = hold(port, "GET /v1/tags HTTP/1.1\r\nHost: 127.0.0.1\r\n", "X-Slow: a\r\n");
    const { ms, text } = await closed;
    expect(ms).toBeGreaterThanOrEqual(HEADERS_MS - 50);
    expect(ms).toBeLessThan(HEADERS_MS + SLACK_MS);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toContain('"code":"request_timeout"');
  });

  it("a body trickling in, byte by byte under the pause limit: closed once the whole request's deadline passes", async () => {
    const { port } = service.server();
    const { closed } = hold(
      port,
      "POST /v1/suggest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
      " ",
    );
    const { ms } = await closed;
    expect(ms).toBeGreaterThanOrEqual(REQUEST_MS - 50);
    expect(ms).toBeLessThan(REQUEST_MS + SLACK_MS);
  });

  it("a connection that sends nothing: closed within the deadlines too", async () => {
    const { port } = service.server();
    const { ms } = await hold(port, "").closed;
    expect(ms).toBeLessThan(REQUEST_MS + SLACK_MS);
  });

  it("a request sent at once is answered as ever", async () => {
    expect((await send(service.server().url, { path: "/v1/tags?query=nlp" })).status).toBe(200);
  });
});

describe("connections per process", () => {
  it("past the cap a new connection is closed at once; the ones held keep theirs, and it reopens when they go", async () => {
    const capped = await serveForTest(
      { kind: "directory", dir: service.dir() },
      { http: { maxConnections: 2 } },
    );
    try {
      const held = [hold(capped.port, ""), hold(capped.port, "")];
      await new Promise((resolve) => setTimeout(resolve, 100));
      const { ms } = await hold(capped.port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .closed;
      expect(ms).toBeLessThan(500);
      for (const { socket } of held) socket.destroy();
      await Promise.all(held.map((h) => h.closed));
      const after = await hold(
        capped.port,
        "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
      ).closed;
      expect(after.text).toMatch(/^HTTP\/1\.1 200 /);
    } finally {
      await capped.close();
    }
  });
});
