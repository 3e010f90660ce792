// The prediction service under test: models trained on the bundled sample, servers on loopback port 0, a raw HTTP
// client (any method, header and bytes), and the built CLI started as a process whose log says its port.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll } from "vitest";
import { type RunningServer, type ServerOptions, startServer } from "../../src/serve/index.js";
import { parseTrainConfig, trainFromFiles } from "../../src/train/index.js";
import { ROOT } from "./cli.js";
import { SAMPLE_CONTENT, SAMPLE_TAXONOMY } from "./sample.js";

export async function tempDir(prefix = "tagsmith-serve-"): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/** A model trained on data/sample into `out`; different seeds or taggers give different model versions. */
export async function trainSample(
  out: string,
  options: { seed?: number; tagger?: string } = {},
): Promise<string> {
  await trainFromFiles({
    dataFiles: [SAMPLE_CONTENT],
    taxonomyFile: SAMPLE_TAXONOMY,
    out,
    seed: options.seed ?? 42,
    config: parseTrainConfig({ tagger: options.tagger ?? "ensemble" }),
    workers: 1,
    version: "test",
  });
  return out;
}

export const silentLogger = () => pino({ level: "silent" });

/**
 * A service on the bundled sample's model for the tests of one file: started before them, stopped after. The
 * getters give the running server and the model directory.
 */
export function useSampleServer(options: Partial<Omit<ServerOptions, "origin">> = {}): {
  server: () => RunningServer;
  dir: () => string;
} {
  let dir: string;
  let server: RunningServer;
  beforeAll(async () => {
    dir = await tempDir();
    await trainSample(dir);
    server = await serveForTest({ kind: "directory", dir }, options);
  });
  afterAll(async () => {
    await server?.close();
    await removeDir(dir);
  });
  return { server: () => server, dir: () => dir };
}

export function serveForTest(
  origin: ServerOptions["origin"],
  options: Partial<Omit<ServerOptions, "origin">> = {},
): Promise<RunningServer> {
  return startServer({
    origin,
    port: 0,
    host: "127.0.0.1",
    logger: silentLogger(),
    version: "test",
    // The tests' keep-alive agent holds connections open: each close would wait out the shutdown grace (1 s) for
    // clients that send nothing more. The grace is tested on a real process (process.test.ts).
    shutdownGraceMs: 0,
    ...options,
    // Rate limits are tested where they are set (bad-input.test.ts): the tests' bursts would trip the default.
    http: { rateLimit: 0, ...options.http },
  });
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: a test reads whatever JSON came back
  json: any;
}

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** One HTTP request with full control over method, headers and body bytes. */
export function send(
  base: string,
  options: {
    method?: string;
    path: string;
    /**
     * By name, or as a flat list of names and values, as Node's rawHeaders, to send one header more than once: Node
     * then adds none of its own, so the list gives Host and Content-Length.
     */
    headers?: Record<string, string> | readonly string[];
    body?: string | Uint8Array;
  },
): Promise<Reply> {
  const url = new URL(options.path, base);
  return new Promise((resolvePromise, reject) => {
    const req = request(
      url,
      { method: options.method ?? "GET", headers: options.headers ?? {}, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

export function postJson(
  base: string,
  path: string,
  body: unknown,
  method = "POST",
): Promise<Reply> {
  return send(base, {
    method,
    path,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

export const putJson = (base: string, path: string, body: unknown) =>
  postJson(base, path, body, "PUT");

const MAIN = resolve(ROOT, "dist/src/cli/main.js");

/** The built CLI as a process, with its log lines parsed as they come. */
export interface ServeProcess {
  child: ChildProcess;
  /** Every JSON log line so far. */
  lines: Record<string, unknown>[];
  stderr: () => string;
  /** The first log line with this msg (waits for it). */
  waitFor: (msg: string, timeoutMs?: number) => Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

export function startServeProcess(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): ServeProcess {
  // The registry and the store come from the arguments (or options.env), never from the environment of whoever
  // runs the tests.
  const { TAGSMITH_REGISTRY: _registry, DATABASE_URL: _database, ...inherited } = process.env;
  const env = { ...inherited, ...options.env };
  const child = spawn(process.execPath, [MAIN, "serve", ...args], {
    cwd: options.cwd ?? ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  let pending = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    pending += chunk;
    const parts = pending.split("\n");
    pending = parts.pop() ?? "";
    for (const part of parts) {
      if (!part.trim()) continue;
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(part);
      } catch {
        line = { msg: part };
      }
      lines.push(line);
      for (const w of waiters.filter((x) => x.msg === line.msg)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr?.setEncoding("utf8").on("data", (s: string) => {
    stderr += s;
  });
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitFor: (msg, timeoutMs = 30_000) => {
      const found = lines.find((l) => l.msg === msg);
      if (found) return Promise.resolve(found);
      return new Promise((done, fail) => {
        const timer = setTimeout(
          () => fail(new Error(`no "${msg}" log line within ${timeoutMs} ms; stderr: ${stderr}`)),
          timeoutMs,
        );
        waiters.push({
          msg,
          resolve: (line) => {
            clearTimeout(timer);
            done(line);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          fail(new Error(`serve exited before "${msg}"; stderr: ${stderr}`));
        });
      });
    },
  };
}
