// Live model changes: the service follows the registry's production pointer, switches without failing a request,
// says which model answered, and keeps the old model when the new one cannot be loaded or answers nonsense.

import { cp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../src/files/index.js";
import { decodeModel, encodeModel, type ModelContent } from "../../src/model/index.js";
import { ModelRegistry, REGISTRY_FILE } from "../../src/registry/index.js";
import type { RunningServer } from "../../src/serve/index.js";
import { ModelSource } from "../../src/serve/model-source.js";
import {
  postJson,
  removeDir,
  send,
  serveForTest,
  silentLogger,
  tempDir,
  trainSample,
} from "../support/serve.js";

let work: string;
let registry: ModelRegistry;
let first: string;
let second: string;
let server: RunningServer;

beforeAll(async () => {
  work = await tempDir();
  const [a, b] = await Promise.all([
    trainSample(join(work, "a")),
    trainSample(join(work, "b"), { tagger: "rules" }),
  ]);
  registry = new ModelRegistry(join(work, "registry"));
  first = (await registry.register(a)).version.id;
  await registry.promote(first);
  second = (await registry.register(b)).version.id;
  // Polling slower than the test: the switch must come from watching the registry.
  server = await serveForTest({ kind: "registry", dir: registry.dir }, { pollMs: 60_000 });
});

afterAll(async () => {
  await server?.close();
  await removeDir(work);
});

const until = async (condition: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
};

/**
 * Makes a version directory copied in by hand the production model, as registry.json edited on disk would: promote
 * would load and check it first. The service is then asked to look at once.
 */
async function makeProduction(id: string): Promise<void> {
  const file = join(registry.dir, REGISTRY_FILE);
  const state = JSON.parse(await readFile(file, "utf8"));
  state.production = id;
  state.versions[id] = { ...state.versions[first], stage: "production" };
  await writeFile(`${file}.tmp`, JSON.stringify(state));
  await cp(`${file}.tmp`, file);
  await server.check();
}

/** The service answers with `serving` still, and counted `refused` as a model that failed to load. */
async function expectStillServing(serving: string | undefined, refused: string): Promise<void> {
  expect(server.model()?.ref.id).toBe(serving);
  const res = await postJson(server.url, "/v1/suggest", { title: "PyTorch" });
  expect(res.status).toBe(200);
  expect(res.json.model.id).toBe(serving);
  const metrics = await send(server.url, { path: "/metrics" });
  expect(metrics.text).toContain(`tagsmith_model_load_failures_total{model="${refused}"} 1`);
}

describe("a promotion in the registry", () => {
  it("switches the service to the new model with no failed request, and responses say which model answered", async () => {
    expect(server.model()?.ref.id).toBe(first);
    const seen: string[] = [];
    const failures: string[] = [];
    let running = true;
    // Four clients send requests without pause while the model changes under them.
    const clients = Array.from({ length: 4 }, async () => {
      while (running) {
        const res = await postJson(server.url, "/v1/suggest", {
          title: "Object detection with PyTorch and transformers",
        });
        if (res.status !== 200) failures.push(`${res.status} ${res.text}`);
        else seen.push(res.json.model.id);
      }
    });
    await until(() => seen.length >= 20);
    await registry.promote(second, { force: true });
    await until(() => seen.at(-1) === second && seen.filter((id) => id === second).length >= 20);
    running = false;
    await Promise.all(clients);

    expect(failures).toEqual([]);
    expect(new Set(seen)).toEqual(new Set([first, second]));
    // Once the new model answered, the old one never answered a request sent later (4 may have been in flight).
    const switchedAt = seen.indexOf(second);
    expect(seen.slice(switchedAt + 4)).not.toContain(first);
    const ready = await send(server.url, { path: "/readyz" });
    expect(ready.json.model.id).toBe(second);
    const metrics = await send(server.url, { path: "/metrics" });
    expect(metrics.text).toMatch(/tagsmith_model_switches_total \d+/);
    expect(metrics.text).toMatch(new RegExp(`tagsmith_model_info\\{model="${second}"`));
  });

  it("keeps serving the current model when the new production model fails to load", async () => {
    const serving = server.model()?.ref.id;
    // A version damaged on disk after its promotion: model.bin no longer matches its manifest.
    const broken = "m-000000000000";
    await cp(registry.versionDir(first), registry.versionDir(broken), { recursive: true });
    await writeFile(join(registry.versionDir(broken), "model.bin"), "damaged");
    await makeProduction(broken);

    await expectStillServing(serving, broken);
  });

  it("keeps serving the current model when the new one's model.bin was damaged inside with its checksum redone", async () => {
    const serving = server.model()?.ref.id;
    const edited = "m-111111111111";
    const dir = registry.versionDir(edited);
    await cp(registry.versionDir(first), dir, { recursive: true });
    // The linear model's per-tag scales (a typed array in model.bin) set to NaN and the manifest's checksum redone:
    // it used to load and then suggest nothing, unseen; now loading names the number that is not finite.
    const bin = join(dir, "model.bin");
    const content = decodeModel(await readFile(bin), bin) as ModelContent;
    (content.state as { linear: { scales: Float32Array } }).linear.scales.fill(Number.NaN);
    const bytes = encodeModel(content);
    await writeFile(bin, bytes);
    const manifestFile = join(dir, "manifest.json");
    const manifest = JSON.parse(await readFile(manifestFile, "utf8"));
    await writeFile(
      manifestFile,
      JSON.stringify({ ...manifest, modelSha256: sha256(bytes), modelBytes: bytes.length }),
    );
    await makeProduction(edited);

    await expectStillServing(serving, edited);
  });

  it("tries the production model again once its files are mended, not on every check before", async () => {
    const serving = server.model()?.ref.id;
    // A registered version whose model.bin was damaged before the service loaded it.
    const bin = join(registry.versionDir(first), "model.bin");
    const bytes = await readFile(bin);
    await writeFile(bin, "damaged");
    await makeProduction(first);
    await expectStillServing(serving, first);

    // A second source on the same registry, retrying after 300 ms: the files unchanged, it waits that long.
    let failures = 0;
    const other = new ModelSource({
      origin: { kind: "registry", dir: registry.dir },
      logger: silentLogger(),
      pollMs: 60_000,
      retryFailedMs: 300,
      onLoadFailure: () => failures++,
    });
    try {
      await other.start();
      await other.check();
      expect(failures).toBe(1);
      expect(other.productionFailure).toMatchObject({ id: first });
      await new Promise((r) => setTimeout(r, 350));
      await other.check();
      expect(failures).toBe(2);
    } finally {
      await other.stop();
    }

    // Checked again with nothing changed: not loaded again (one failure counted, not two).
    await server.check();
    await expectStillServing(serving, first);
    const stale = await send(server.url, { path: "/readyz" });
    expect(stale.status).toBe(200);
    expect(stale.json.model.id).toBe(serving);
    expect(stale.json.production_failed).toEqual({ id: first, at: expect.any(String) });
    // Mended: the next check loads it.
    await writeFile(bin, bytes);
    await server.check();
    expect(server.model()?.ref.id).toBe(first);
    const ready = await send(server.url, { path: "/readyz" });
    expect(ready.json).toEqual({ status: "ready", model: server.model()?.ref });
  });
});
