// `tagsmith serve` as a process: the port in the startup log, graceful SIGTERM, --workers, npm start's first run,
// and usage mistakes. Runs the built CLI (dist/), as npm test builds it first.

import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cp, readFile, rename } from "node:fs/promises";
import { Agent, request } from "node:http";
import { type AddressInfo, connect, createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelRegistry } from "../../src/registry/index.js";
import { tagsmith, tagsmithAsync } from "../support/cli.js";
import { freePort, hasPostgres, usePostgres } from "../support/postgres.js";
import {
  postJson,
  removeDir,
  type ServeProcess,
  send,
  startServeProcess,
  tempDir,
  trainSample,
} from "../support/serve.js";
import { startTcpProxy } from "../support/tcp-proxy.js";

let work: string;
let model: string;
const started: ServeProcess[] = [];

beforeAll(async () => {
  work = await tempDir();
  model = await trainSample(join(work, "model"));
});

afterAll(async () => {
  for (const p of started) if (p.child.exitCode === null) p.child.kill("SIGKILL");
  await removeDir(work);
});

const serve = (args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) => {
  const p = startServeProcess(args, options);
  started.push(p);
  return p;
};

const urlOf = async (p: ServeProcess, timeoutMs?: number) =>
  String((await p.waitFor("listening", timeoutMs)).url);

describe("SIGTERM", () => {
  it("finishes the request in flight, answers new ones 503, then exits 0", async () => {
    const p = serve(["--model", model, "--port", "0", "--no-store"]);
    const url = await urlOf(p);
    const { port } = new URL(url);

    const inFlight = await halfSentSuggest(Number(port));

    p.child.kill("SIGTERM");
    const draining = await p.waitFor("shutting down: new requests get 503");
    expect(draining.inflight).toBe(1);
    const refused = await send(url, {
      path: "/v1/tags",
      headers: { origin: "https://platform.example" },
    });
    expect(refused.status).toBe(503);
    expect(refused.json.error.code).toBe("shutting_down");
    // Readable by a widget on another site, and saying when to retry.
    expect(refused.headers["access-control-allow-origin"]).toBe("*");
    expect(refused.headers["retry-after"]).toBe("1");
    expect((await send(url, { path: "/readyz" })).status).toBe(503);

    const response = await inFlight.finish();
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(JSON.parse(response.slice(response.indexOf("\r\n\r\n") + 4)).suggestions[0].tag).toEqual(
      expect.any(String),
    );
    expect(await p.exited).toBe(0);
    expect(p.lines.some((l) => l.msg === "stopped")).toBe(true);
  });

  it("still waits for the request in flight after clients gave up on uploads (each counted out once)", async () => {
    const p = serve(["--model", model, "--port", "0", "--no-store"]);
    const port = Number(new URL(await urlOf(p)).port);
    // Two clients close their connection with their body half sent, as a phone losing its network does.
    for (const _ of [1, 2]) (await halfSentSuggest(port)).socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const inFlight = await halfSentSuggest(port);

    p.child.kill("SIGTERM");
    expect((await p.waitFor("shutting down: new requests get 503")).inflight).toBe(1);
    expect(await inFlight.finish()).toMatch(/^HTTP\/1\.1 200/);
    expect(await p.exited).toBe(0);
  });

  it("answers 503 on connections clients keep alive, rather than closing them under a request", async () => {
    const p = serve(["--model", model, "--port", "0", "--no-store"]);
    const url = await urlOf(p);
    // Four clients, each with a connection kept alive after one request: as a busy editor or a load balancer has.
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const get = () =>
      new Promise<number | string>((resolve) => {
        request(new URL("/v1/tags", url), { agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        })
          .on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
          .end();
      });
    const four = () => Promise.all(Array.from({ length: 4 }, get));
    try {
      expect(await four()).toEqual([200, 200, 200, 200]);
      p.child.kill("SIGTERM");
      await p.waitFor("shutting down: new requests get 503");
      // Sent on the same connections after the signal: each is answered, none reset (ECONNRESET).
      expect(await four()).toEqual([503, 503, 503, 503]);
      // Told Connection: close, they retry at once on new connections: answered too, though for a moment between the
      // closes and the reconnects no connection was open (the grace ended there, and the retries met resets).
      expect(await four()).toEqual([503, 503, 503, 503]);
      expect(await p.exited).toBe(0);
    } finally {
      agent.destroy();
    }
  });
});

/**
 * A suggest request in flight on its own connection: headers and the first 10 bytes of the body sent, the rest held
 * back until `finish()`, which sends it and resolves with all the connection received.
 */
async function halfSentSuggest(port: number) {
  const body = JSON.stringify({ title: "Object detection with PyTorch" });
  const socket = connect(port, "127.0.0.1");
  let response = "";
  socket.on("data", (d) => {
    response += d.toString();
  });
  const closed = new Promise<void>((r) => socket.on("close", () => r()));
  await new Promise<void>((r) => socket.once("connect", () => r()));
  socket.write(
    `POST /v1/suggest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
  );
  await new Promise((r) => setTimeout(r, 200));
  return {
    socket,
    finish: async () => {
      socket.write(body.slice(10));
      await closed;
      return response;
    },
  };
}

/** Waits (at most `timeoutMs`) until `count` log lines have this msg; returns them. */
async function linesOf(p: ServeProcess, msg: string, count: number, timeoutMs = 10_000) {
  const found = () => p.lines.filter((l) => l.msg === msg);
  for (let waited = 0; waited < timeoutMs && found().length < count; waited += 25)
    await new Promise((r) => setTimeout(r, 25));
  return found();
}

/** `serve --workers 2 --no-store` of `modelDir`, once both workers listen: the process, its URL and the workers' lines. */
async function twoWorkers(modelDir: string) {
  const p = serve([
    "--model",
    modelDir,
    "--port",
    String(await freePort()),
    "--workers",
    "2",
    "--no-store",
  ]);
  const url = await urlOf(p);
  const workers = await linesOf(p, "worker listening", 2);
  expect(workers).toHaveLength(2);
  return { p, url, workers };
}

describe("--trust-proxy", () => {
  it("takes the client address the proxy in front added, not the X-Forwarded-For entries the client wrote", async () => {
    const p = serve([
      "--model",
      model,
      "--port",
      "0",
      "--no-store",
      "--rate-limit",
      "2",
      "--trust-proxy",
    ]);
    const url = await urlOf(p);
    const from = (forwardedFor: string) =>
      send(url, { path: "/v1/tags", headers: { "x-forwarded-for": forwardedFor } });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await from(`10.9.${i}.1, 203.0.113.7`)).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect((await from("203.0.113.8")).status).toBe(200);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });
});

describe("--workers 2", () => {
  it("runs two processes on one port, aggregates their metrics, and stops both on SIGTERM", async () => {
    const port = await freePort();
    const p = serve(["--model", model, "--port", String(port), "--workers", "2", "--no-store"]);
    const url = await urlOf(p);
    // Each worker logs for itself; its line may come just after the primary's.
    const workerLines = () => p.lines.filter((l) => l.msg === "worker listening");
    for (let i = 0; i < 200 && workerLines().length < 2; i++)
      await new Promise((r) => setTimeout(r, 25));
    const workers = workerLines();
    expect(new Set(workers.map((w) => w.pid)).size).toBe(2);
    expect(workers.every((w) => w.pid !== p.child.pid)).toBe(true);

    const replies = await Promise.all(
      Array.from({ length: 40 }, () =>
        postJson(url, "/v1/suggest", { title: "GAN image generation" }),
      ),
    );
    expect(replies.every((r) => r.status === 200)).toBe(true);
    const metrics = await send(url, { path: "/metrics" });
    const count = metrics.text.match(
      /tagsmith_http_request_duration_seconds_count\{method="POST",route="\/v1\/suggest",status="200",model="[^"]+"\} (\d+)/,
    );
    // The sum over both workers, whichever of them answered /metrics.
    expect(Number(count?.[1])).toBe(40);
    // A per-process limit is the same in every worker: the sum would double it.
    const limits = await readFile(`/proc/${workers[0]?.pid}/limits`, "utf8");
    const maxFds = limits.match(/^Max open files\s+(\d+)/m)?.[1];
    expect(metrics.text).toMatch(new RegExp(`^tagsmith_process_max_fds ${maxFds}$`, "m"));

    // A worker that dies is replaced; the other keeps answering meanwhile.
    process.kill(Number(workers[0]?.pid), "SIGKILL");
    for (let i = 0; i < 400 && workerLines().length < 3; i++)
      await new Promise((r) => setTimeout(r, 25));
    expect(workerLines()).toHaveLength(3);
    expect(p.lines.some((l) => l.msg === "a worker died: starting another")).toBe(true);
    expect((await postJson(url, "/v1/suggest", { title: "GAN" })).status).toBe(200);

    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });

  it("answers or refuses every connection made while a worker dies: none is left waiting in the primary", async () => {
    const { p, url } = await twoWorkers(model);
    // Clients on fresh connections, each request given 5 s: an answer, or a connection error, settles it.
    const outcomes = { answered: 0, refused: 0, hung: 0 };
    let running = true;
    const client = async () => {
      while (running) {
        const outcome = await new Promise<keyof typeof outcomes>((settle) => {
          const req = request(
            `${url}/v1/tags?query=gan`,
            { agent: false, headers: { connection: "close" } },
            (res) => {
              res.resume();
              res.on("end", () => settle("answered"));
            },
          );
          req.setTimeout(5_000, () => {
            settle("hung");
            req.destroy();
          });
          req.on("error", () => settle("refused"));
          req.end();
        });
        outcomes[outcome] += 1;
      }
    };
    const clients = Array.from({ length: 16 }, client);
    for (let kill = 0; kill < 2; kill++) {
      await new Promise((r) => setTimeout(r, 400));
      const alive = p.lines.filter((l) => l.msg === "worker listening").at(-1);
      process.kill(Number(alive?.pid), "SIGKILL");
      await linesOf(p, "worker listening", 3 + kill, 20_000);
    }
    running = false;
    await Promise.all(clients);
    expect(outcomes.hung).toBe(0);
    expect(outcomes.answered).toBeGreaterThan(100);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  }, 60_000);

  // 60 s: each replacement is a process start-up (about 1 s, several on a busy machine) after a pause of 0, 1, 2 s.
  it("keeps serving when a replacement worker cannot start, and replaces it once it can", async () => {
    const dir = join(work, "model-to-move");
    await cp(model, dir, { recursive: true });
    const { p, url, workers } = await twoWorkers(dir);

    // The model moved away after start-up: a replacement for a worker that dies cannot load it.
    await rename(dir, `${dir}-away`);
    process.kill(Number(workers[0]?.pid), "SIGKILL");
    // Replaced at once, then after 1 s: two replacements that failed, each logged.
    const failed = await linesOf(
      p,
      "a replacement worker failed to start: starting another",
      2,
      20_000,
    );
    expect(failed).toHaveLength(2);
    expect(p.lines.some((l) => l.msg === "stopping workers")).toBe(false);
    expect(p.child.exitCode).toBeNull();
    // The healthy worker answers throughout.
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => send(url, { path: "/v1/tags" })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));

    // Back in place: the next replacement (after 2 s) starts.
    await rename(`${dir}-away`, dir);
    expect(await linesOf(p, "worker listening", 3, 20_000)).toHaveLength(3);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  }, 60_000);
});

describe("/metrics with --workers 2", () => {
  it("fails the scrape (503) when a worker cannot report, rather than answering one worker's smaller numbers", async () => {
    const p = serve(["--model", model, "--port", "0", "--workers", "2", "--no-store"]);
    const url = await urlOf(p);
    const workers = (await linesOf(p, "worker listening", 2)).map((l) => Number(l.pid));
    expect(workers).toHaveLength(2);
    // One connection kept alive, so every request below goes to the worker that took it.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (path: string, id = "") =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        request(new URL(path, url), { agent, headers: id ? { "x-request-id": id } : {} }, (res) => {
          let text = "";
          res.setEncoding("utf8").on("data", (d: string) => {
            text += d;
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        })
          .on("error", reject)
          .end();
      });
    const tagsCount = (text: string) =>
      Number(
        /tagsmith_http_request_duration_seconds_count\{[^}]*route="\/v1\/tags"[^}]*\} (\d+)/.exec(
          text,
        )?.[1],
      );
    try {
      // Four requests, spread over both workers on connections of their own.
      const spread = await Promise.all(
        Array.from({ length: 4 }, () => send(url, { path: "/v1/tags" })),
      );
      expect(spread.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect((await get("/healthz", "which-worker")).status).toBe(200);
      const before = await get("/metrics");
      expect(tagsCount(before.text)).toBe(4);

      // The worker not holding our connection stops answering (as one stuck in a long pause would).
      const ours = await (async () => {
        for (let i = 0; i < 200; i++) {
          const line = p.lines.find((l) => l.request_id === "which-worker");
          if (line) return Number(line.pid);
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error("no log line for the request");
      })();
      const other = workers.find((pid) => pid !== ours) as number;
      process.kill(other, "SIGSTOP");
      try {
        const asked = Date.now();
        const stuck = await get("/metrics");
        expect(Date.now() - asked).toBeLessThan(4_500);
        expect(stuck.status).toBe(503);
        expect(JSON.parse(stuck.text).error).toMatchObject({
          code: "not_ready",
          message: expect.stringContaining(`worker ${other} did not report its metrics within 3 s`),
        });
      } finally {
        process.kill(other, "SIGCONT");
      }
      const after = await get("/metrics");
      expect(after.status).toBe(200);
      expect(tagsCount(after.text)).toBe(4);
    } finally {
      agent.destroy();
    }
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });
});

describe.skipIf(!hasPostgres)("--store beside DATABASE_URL with --workers 2", () => {
  const postgres = usePostgres();
  it("is noted once, by the primary, not by each worker", async () => {
    const p = serve(
      ["--model", model, "--port", "0", "--workers", "2", "--store", join(work, "unused-store")],
      { env: { DATABASE_URL: postgres.url() } },
    );
    await urlOf(p);
    for (let i = 0; i < 200 && p.lines.filter((l) => l.msg === "worker listening").length < 2; i++)
      await new Promise((r) => setTimeout(r, 25));
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    const notes = p
      .stderr()
      .split("\n")
      .filter((line) => line.includes("is not used: DATABASE_URL is set"));
    expect(notes).toHaveLength(1);
  });
});

describe.skipIf(!hasPostgres)(
  "--workers 2 with PostgreSQL unreachable when a worker is replaced",
  () => {
    const postgres = usePostgres();
    it("keeps the healthy worker serving and replaces the dead one once the database is back", async () => {
      const url = new URL(postgres.url());
      const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
      url.hostname = "127.0.0.1";
      url.port = String(proxy.port);
      try {
        const p = serve(["--model", model, "--port", String(await freePort()), "--workers", "2"], {
          env: { DATABASE_URL: url.toString() },
        });
        const served = await urlOf(p);
        const workers = await linesOf(p, "worker listening", 2);
        await proxy.cut();
        process.kill(Number(workers[0]?.pid), "SIGKILL");
        const failed = await linesOf(
          p,
          "a replacement worker failed to start: starting another",
          1,
          20_000,
        );
        expect(failed).toHaveLength(1);
        expect(p.child.exitCode).toBeNull();
        expect((await send(served, { path: "/v1/tags" })).status).toBe(200);
        await proxy.restore();
        expect(await linesOf(p, "worker listening", 3, 20_000)).toHaveLength(3);
        p.child.kill("SIGTERM");
        expect(await p.exited).toBe(0);
      } finally {
        await proxy.close();
      }
    }, 60_000);
  },
);

describe("the admin token with --workers 2", () => {
  const workersListening = async (p: ServeProcess) => {
    for (let i = 0; i < 200 && p.lines.filter((l) => l.msg === "worker listening").length < 2; i++)
      await new Promise((r) => setTimeout(r, 25));
  };
  const tokenLines = (p: ServeProcess) =>
    p
      .stderr()
      .split("\n")
      .filter((line) => line.includes("token for this run"));

  it("made up for the run: printed once, in one line, and it opens the admin API on every worker", async () => {
    const p = serve(["--model", model, "--port", "0", "--workers", "2", "--no-store"], {
      env: { TAGSMITH_ADMIN_TOKEN: "" },
    });
    const url = await urlOf(p);
    await workersListening(p);
    // stderr and the log (stdout) are two pipes: the token line may come just after the "listening" line
    for (let i = 0; i < 200 && tokenLines(p).length === 0; i++)
      await new Promise((r) => setTimeout(r, 25));
    const lines = tokenLines(p);
    expect(lines).toHaveLength(1);
    const token = /token for this run: (\S+)/.exec(lines[0] ?? "")?.[1] ?? "";
    expect(token.length).toBeGreaterThanOrEqual(20);
    expect(lines[0]).toContain(`${url}/admin`);
    // Several requests, so both workers answer some of them.
    const replies = await Promise.all(
      Array.from({ length: 8 }, () =>
        send(url, { path: "/v1/admin/models", headers: { authorization: `Bearer ${token}` } }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    expect(tokenLines(p)).toHaveLength(1);
  });

  it("a short one, one of few different characters or the deploy example's placeholder: refused at start, exit 2, never quoted", async () => {
    for (const [token, said] of [
      ["short-token", "has 11 characters"],
      ["CHANGE-ME-TO-A-LONG-RANDOM-STRING", "is the deploy example's placeholder"],
      ["abababababababababab", "has only 2 different characters"],
    ] as const) {
      const p = serve(["--model", model, "--port", "0", "--no-store"], {
        env: { TAGSMITH_ADMIN_TOKEN: token },
      });
      expect(await p.exited).toBe(2);
      expect(p.stderr()).toContain(
        `tagsmith: TAGSMITH_ADMIN_TOKEN ${said}: an admin token must be`,
      );
      expect(p.stderr()).not.toContain(token);
      expect(p.stderr()).not.toContain("    at ");
    }
    // Twenty spaces are long enough, but no Authorization header could ever carry them.
    const blank = serve(["--model", model, "--port", "0", "--no-store"], {
      env: { TAGSMITH_ADMIN_TOKEN: " ".repeat(20) },
    });
    expect(await blank.exited).toBe(2);
    expect(blank.stderr()).toContain(
      "tagsmith: TAGSMITH_ADMIN_TOKEN contains spaces or other whitespace, which an Authorization: Bearer header cannot carry",
    );
  });

  it("given in TAGSMITH_ADMIN_TOKEN: never printed", async () => {
    const token = "given-admin-token-not-to-print";
    const p = serve(["--model", model, "--port", "0", "--workers", "2", "--no-store"], {
      env: { TAGSMITH_ADMIN_TOKEN: token },
    });
    const url = await urlOf(p);
    await workersListening(p);
    const res = await send(url, {
      path: "/v1/admin/models",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    expect(p.stderr()).not.toContain(token);
    expect(JSON.stringify(p.lines)).not.toContain(token);
  });
});

describe("npm start (serve with no --registry or --model)", () => {
  it("trains, registers and promotes a model on first run, saying on what; later starts only load it", async () => {
    const cwd = await tempDir("tagsmith-start-");
    try {
      const first = serve(["--port", "0"], { cwd });
      // Training a model and creating the store first: about 15 s alone, over 30 s on a machine running other jobs.
      const url = await urlOf(first, 60_000);
      const said = first.lines.find((l) => String(l.msg).startsWith("no production model"));
      expect(said?.msg).toMatch(/training one \(ensemble, seed 42\) on the bundled sample/);
      const production = (await new ModelRegistry(join(cwd, "models")).readState()).production;
      expect(production).toMatch(/^m-/);
      const res = await postJson(url, "/v1/suggest", { title: "PyTorch" });
      expect(res.json.model.id).toBe(production);
      first.child.kill("SIGTERM");
      expect(await first.exited).toBe(0);

      const again = serve(["--port", "0"], { cwd });
      await urlOf(again);
      expect(again.lines.some((l) => String(l.msg).startsWith("no production model"))).toBe(false);
      expect(again.lines.find((l) => l.msg === "model loaded")?.model).toMatchObject({
        id: production,
      });
      again.child.kill("SIGTERM");
      expect(await again.exited).toBe(0);
    } finally {
      await removeDir(cwd);
    }
    // Training on first run: 15 s on a quiet machine.
  }, 90_000);
});

describe("usage", () => {
  it("refuses --model with --registry, and a directory that is not a model, in one line with exit 2", () => {
    const both = tagsmith(["serve", "--model", model, "--registry", work, "--port", "0"]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/--model and --registry/);
    const missing = join(work, "nothing-here");
    const bad = tagsmith(["serve", "--model", missing, "--port", "0"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect(bad.stderr).toBe(
      `tagsmith: --model ${missing} does not exist: --model must be a model directory (the directory tagsmith train --out DIR writes, holding model.bin, manifest.json and metrics.json)\n`,
    );
    expect(existsSync(missing)).toBe(false);
    // A registry given as --model: serving it with --registry is what was most likely meant.
    const registry = join(work, "a-registry");
    mkdirSync(registry, { recursive: true });
    writeFileSync(join(registry, "registry.json"), "{}");
    const asModel = tagsmith(["serve", "--model", registry, "--port", "0"]);
    expect(asModel.status).toBe(2);
    expect(asModel.stderr).toContain(
      `--model ${registry} is a model registry, not a model directory: to serve its production model (and follow promotions), give it as --registry ${registry}`,
    );
    const mistyped = tagsmith(["serve", "--registry", missing, "--port", "0"]);
    expect(mistyped.status).toBe(2);
    expect(mistyped.stderr.trim().split("\n")).toHaveLength(1);
    expect(mistyped.stderr).toMatch(/registry directory .* does not exist/);
    expect(existsSync(missing)).toBe(false);
  });

  it("says a port in use is in use, in one line with exit 2, with one worker or several", async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
    const { port } = taken.address() as AddressInfo;
    try {
      for (const workers of ["1", "2"]) {
        const res = await tagsmithAsync([
          "serve",
          "--model",
          model,
          "--port",
          String(port),
          "--workers",
          workers,
          "--no-store",
        ]);
        expect(res.status).toBe(2);
        expect(res.stderr).toMatch(
          new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE`),
        );
        expect(res.stderr).not.toMatch(/\n\s+at /);
      }
      // Found before the store is opened: no store is left behind by a start that could not listen.
      const store = join(work, "store-of-a-start-that-could-not-listen");
      const res = await tagsmithAsync([
        "serve",
        "--model",
        model,
        "--port",
        String(port),
        "--store",
        store,
      ]);
      expect(res.status).toBe(2);
      expect(res.stderr).toMatch(
        new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} \\(EADDRINUSE`),
      );
      expect(existsSync(store)).toBe(false);
    } finally {
      taken.close();
    }
  });
});
