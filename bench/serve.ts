// `npm run bench:serve`: the prediction service under load, over loopback, with autocannon. Prints one JSON object:
// suggest throughput at 32 connections (one worker and two), p99 latency at a steady 1,000 requests/s, resident
// memory per worker, and failed requests during a model switch under load.
//
// The service runs as `tagsmith serve` would in production (built CLI, JSON logs at info, rate limit on but out of
// reach); the model is trained on the shared Made With ML data when present, else on the bundled sample. Bodies are
// the data's own titles and descriptions, in turn.

import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import autocannon from "autocannon";
import { loadContent } from "../src/data/index.js";
import { ModelRegistry } from "../src/registry/index.js";
import { DEFAULT_TRAIN_CONFIG, trainFromFiles } from "../src/train/index.js";

const ROOT = resolve(import.meta.dirname, "../..");
const CLI = join(ROOT, "dist/src/cli/main.js");
const MWML = resolve(ROOT, "../shared/data/mwml");

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 3;
const CONNECTIONS = 32;
const STEADY_RATE = 1_000;
const SWITCH_SECONDS = 20;

const run = promisify(execFile);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const log = (text: string) => process.stderr.write(`bench:serve: ${text}\n`);

interface Service {
  child: ChildProcess;
  url: string;
}

/** Starts the built CLI and waits for its "listening" log line. */
function startService(args: string[]): Promise<Service> {
  const child = spawn(
    process.execPath,
    [CLI, "serve", "--port", "0", "--rate-limit", "1000000000", "--no-store", ...args],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  return new Promise((done, fail) => {
    let pending = "";
    let found = false;
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      if (found) return;
      pending += chunk;
      for (const line of pending.split("\n")) {
        if (!line.includes('"msg":"listening"')) continue;
        found = true;
        done({ child, url: String(JSON.parse(line).url) });
        return;
      }
    });
    child.on("exit", (code) => {
      if (!found) fail(new Error(`serve exited with ${code} before listening`));
    });
  });
}

async function stopService(service: Service): Promise<void> {
  const exited = new Promise((r) => service.child.on("exit", r));
  service.child.kill("SIGTERM");
  await exited;
}

/** Resident memory of a process and of its child processes (the workers), in MB. */
async function rssMb(pid: number): Promise<{ pid: number; rss_mb: number }[]> {
  const rss = async (p: number) => {
    const status = await readFile(`/proc/${p}/status`, "utf8");
    return round(Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024);
  };
  const children: number[] = [];
  for (const task of await readdir(`/proc/${pid}/task`)) {
    const list = await readFile(`/proc/${pid}/task/${task}/children`, "utf8").catch(() => "");
    children.push(...list.split(/\s+/).filter(Boolean).map(Number));
  }
  const pids = children.length > 0 ? children : [pid];
  return Promise.all(pids.map(async (p) => ({ pid: p, rss_mb: await rss(p) })));
}

function load(
  url: string,
  bodies: string[],
  options: { seconds: number; connections: number; overallRate?: number },
): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url: `${url}/v1/suggest`,
    connections: options.connections,
    duration: options.seconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        setupRequest: (request) => {
          request.body = bodies[next++ % bodies.length] as string;
          return request;
        },
      },
    ],
  });
}

function summary(result: autocannon.Result) {
  return {
    requests_per_s: round(result.requests.average),
    latency_ms: {
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non_2xx: result.non2xx,
  };
}

/**
 * Requests sent on a fixed schedule (open loop): the i-th at start + i/rate, whatever the answers before it, with
 * latency counted from when it was due. autocannon's overallRate sends each second's quota at the start of the
 * second (each connection back to back, then idle), which measures bursts of 32 concurrent requests rather than a
 * steady rate; this is the steady one.
 */
async function paced(url: string, bodies: string[], rate: number, seconds: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL("/v1/suggest", url);
  const total = rate * seconds;
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let sent = 0;
  let answered = 0;
  const start = performance.now();
  await new Promise<void>((done) => {
    const fire = (due: number, body: string) => {
      const finish = (status: number) => {
        if (status >= 200 && status < 300) latencies.push(performance.now() - due);
        else if (status > 0) non2xx++;
        else errors++;
        if (++answered === total) done();
      };
      const req = request(
        target,
        { method: "POST", agent, headers: { "content-type": "application/json" } },
        (res) => {
          res.resume();
          res.on("end", () => finish(res.statusCode ?? 0));
        },
      );
      req.on("error", () => finish(0));
      req.end(body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate) + 1);
      while (sent < due) {
        fire(start + (sent * 1000) / rate, bodies[sent % bodies.length] as string);
        sent++;
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0, 2);
  return {
    requests_per_s: round(total / ((performance.now() - start) / 1000)),
    latency_ms: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) },
    requests: total,
    errors,
    non_2xx: non2xx,
  };
}

/** The mean number of tags in one answer, so requests/s converts to suggested tags/s. */
async function meanSuggestions(url: string, bodies: string[]): Promise<number> {
  let total = 0;
  const sample = bodies.slice(0, 300);
  for (const body of sample) {
    const res = await fetch(`${url}/v1/suggest`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    total += ((await res.json()) as { suggestions: unknown[] }).suggestions.length;
  }
  return total / sample.length;
}

async function throughputRun(model: string, workers: number, bodies: string[]) {
  const service = await startService(["--model", model, "--workers", String(workers)]);
  try {
    log(`${workers} worker(s): warm-up ${WARMUP_SECONDS} s`);
    await load(service.url, bodies, { seconds: WARMUP_SECONDS, connections: CONNECTIONS });
    log(`${workers} worker(s): ${CONNECTIONS} connections, ${SECONDS} s`);
    const saturated = summary(
      await load(service.url, bodies, { seconds: SECONDS, connections: CONNECTIONS }),
    );
    let steady: ReturnType<typeof summary> | undefined;
    let steadyPaced: Awaited<ReturnType<typeof paced>> | undefined;
    let tiny: ReturnType<typeof summary> | undefined;
    if (workers === 1) {
      // The same route with a one-word title: what the HTTP layer costs when the model has almost nothing to read.
      log(`1 worker: one-word titles, ${CONNECTIONS} connections, ${SECONDS} s`);
      tiny = summary(
        await load(service.url, [JSON.stringify({ title: "pytorch" })], {
          seconds: SECONDS,
          connections: CONNECTIONS,
        }),
      );
      log(`1 worker: ${STEADY_RATE} requests/s on a fixed schedule, ${SECONDS} s`);
      steadyPaced = await paced(service.url, bodies, STEADY_RATE, SECONDS);
      log(`1 worker: ${STEADY_RATE} requests/s with autocannon overallRate, ${SECONDS} s`);
      steady = summary(
        await load(service.url, bodies, {
          seconds: SECONDS,
          connections: CONNECTIONS,
          overallRate: STEADY_RATE,
        }),
      );
    }
    const memory = await rssMb(service.child.pid as number);
    return { saturated, steady, steadyPaced, tiny, memory, url: service.url };
  } finally {
    await stopService(service);
  }
}

async function switchRun(first: string, second: string, bodies: string[], work: string) {
  const registry = new ModelRegistry(join(work, "registry"));
  const a = (await registry.register(first)).version.id;
  await registry.promote(a);
  const b = (await registry.register(second)).version.id;
  const service = await startService(["--registry", registry.dir, "--workers", "1"]);
  try {
    log(`model switch: ${SWITCH_SECONDS} s at ${CONNECTIONS} connections, promoting at half time`);
    const running = load(service.url, bodies, {
      seconds: SWITCH_SECONDS,
      connections: CONNECTIONS,
    });
    await new Promise((r) => setTimeout(r, (SWITCH_SECONDS * 1000) / 2));
    // In another process, as an operator would: promoting here would stall the load generator's own event loop.
    await run(process.execPath, [
      CLI,
      "models",
      "promote",
      b,
      "--registry",
      registry.dir,
      "--force",
    ]);
    const result = summary(await running);
    const ready = (await (await fetch(`${service.url}/readyz`)).json()) as {
      model: { id: string };
    };
    return { from: a, to: b, served_after: ready.model.id, ...result };
  } finally {
    await stopService(service);
  }
}

async function main() {
  const shared = existsSync(join(MWML, "projects.json")) && existsSync(join(MWML, "tags.json"));
  const data = shared ? join(MWML, "projects.json") : join(ROOT, "data/sample/content.json");
  const taxonomy = shared ? join(MWML, "tags.json") : join(ROOT, "data/sample/taxonomy.json");
  const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    version: string;
  };
  const { items } = await loadContent(data);
  const bodies = items.map((i) => JSON.stringify({ title: i.title, description: i.description }));
  const load0 = loadavg();
  const work = await mkdtemp(join(tmpdir(), "tagsmith-bench-serve-"));
  try {
    log(`training two models on ${shared ? "the shared Made With ML data" : "the bundled sample"}`);
    const models = [join(work, "a"), join(work, "b")];
    for (const [i, out] of models.entries())
      await trainFromFiles({
        dataFiles: [data],
        taxonomyFile: taxonomy,
        out,
        seed: 42 + i,
        config: DEFAULT_TRAIN_CONFIG,
        version,
      });
    const [first, second] = models as [string, string];

    const one = await throughputRun(first, 1, bodies);
    const two = await throughputRun(first, 2, bodies);
    const modelSwitch = await switchRun(first, second, bodies, work);
    const perAnswer = await (async () => {
      const service = await startService(["--model", first]);
      try {
        return await meanSuggestions(service.url, bodies);
      } finally {
        await stopService(service);
      }
    })();

    const targets = {
      // "3,000 suggestions/s": met if a suggestion is one suggested tag, not if it is one answered request.
      one_worker_suggest_requests_per_s_at_32: one.saturated.requests_per_s >= 3_000,
      one_worker_suggested_tags_per_s_at_32: one.saturated.requests_per_s * perAnswer >= 3_000,
      p99_ms_at_1000_per_s: (one.steadyPaced?.latency_ms.p99 ?? Infinity) <= 10,
      zero_errors_at_1000_per_s:
        one.steadyPaced?.errors === 0 &&
        one.steadyPaced?.non_2xx === 0 &&
        one.steady?.errors === 0 &&
        one.steady?.non_2xx === 0,
      two_workers_scale: two.saturated.requests_per_s > one.saturated.requests_per_s,
      zero_failures_during_switch: modelSwitch.errors === 0 && modelSwitch.non_2xx === 0,
      rss_mb_per_worker_at_most_250: [...one.memory, ...two.memory].every((m) => m.rss_mb <= 250),
    };
    process.stdout.write(
      `${JSON.stringify(
        {
          data: shared ? "mwml projects.json" : "data/sample",
          items: items.length,
          machine: {
            cpus: availableParallelism(),
            cpu: cpus()[0]?.model ?? "unknown",
            node: process.version,
            loadavg_before: load0.map((x) => round(x, 2)),
            loadavg_after: loadavg().map((x) => round(x, 2)),
          },
          one_worker: {
            at_32_connections: {
              ...one.saturated,
              suggested_tags_per_s: round(one.saturated.requests_per_s * perAnswer),
            },
            steady_1000_per_s: one.steadyPaced,
            autocannon_overall_rate_1000: one.steady,
            one_word_titles_at_32_connections: one.tiny,
            rss: one.memory,
          },
          two_workers: {
            at_32_connections: two.saturated,
            scale_over_one: round(two.saturated.requests_per_s / one.saturated.requests_per_s, 2),
            rss: two.memory,
          },
          model_switch_under_load: modelSwitch,
          mean_tags_per_answer: round(perAnswer, 2),
          targets,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
