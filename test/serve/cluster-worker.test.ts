// A --workers worker whose primary goes away (killed, say) while the worker talks to it over their channel: the
// worker must live on to stop gracefully, not die of the send. Runs the built cluster module (dist/) in a forked
// process standing in for a worker, with this test as its primary.

import { fork } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/cli.js";
import { removeDir, tempDir } from "../support/serve.js";

const CLUSTER = pathToFileURL(join(ROOT, "dist/src/serve/cluster.js")).href;

// The worker's numbers are ready only once the channel has closed, as when the primary is killed while a worker
// collects them for a scrape; then the worker's own /metrics asks the primary that is gone.
const WORKER = `
import { clusterMetricsText } from ${JSON.stringify(CLUSTER)};
const registry = {
  getMetricsAsJSON: () => {
    process.send({ collecting: true });
    return new Promise((resolve) => process.once("disconnect", () => setImmediate(() => resolve([]))));
  },
};
const metricsText = clusterMetricsText({ registry });
process.once("disconnect", () =>
  setTimeout(async () => {
    const answer = await metricsText().then(() => "answered", (error) => error.message);
    console.log(JSON.stringify({ answer }));
  }, 50),
);
process.send({ ready: true });
`;

let dir: string;
let worker: string;
beforeAll(async () => {
  dir = await tempDir();
  worker = join(dir, "worker.mjs");
  await writeFile(worker, WORKER);
});
afterAll(async () => {
  await removeDir(dir);
});

describe("a worker whose primary is gone", () => {
  it("lives on when its channel closes during a metrics exchange, and fails its own scrape at once", async () => {
    const child = fork(worker, [], { stdio: ["ignore", "pipe", "pipe", "ipc"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    const exited = once(child, "exit");
    await once(child, "message");
    const collecting = once(child, "message");
    child.send({ type: "tagsmith:metrics-collect", id: 1 });
    await collecting;
    const started = Date.now();
    child.disconnect();
    const [code] = await exited;
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      answer:
        "the metrics summed over the workers are unavailable: the primary process is gone (its channel to this worker is closed)",
    });
    // Not after the 4 s a worker waits for a primary that does not answer.
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
