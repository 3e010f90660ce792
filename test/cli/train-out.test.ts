// `tagsmith train --out DIR` and the model directory as a user meets it (the built CLI): a process killed at any
// step of saving leaves DIR the complete old model or the complete new one, and the next train puts its leftovers
// right; a DIR of other files is refused before training; --model given a file or a plain directory is explained.

import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel, SAVE_STEPS } from "../../src/model/index.js";
import { ROOT, tagsmith } from "../support/cli.js";
import { SAMPLE_CONTENT } from "../support/sample.js";

let work: string;
let n = 0;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "tagsmith-train-out-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const place = async () => {
  const parent = join(work, `case-${++n}`);
  await mkdir(parent);
  return { parent, dir: join(parent, "model") };
};

const train = (out: string) =>
  tagsmith(["train", "--data", SAMPLE_CONTENT, "--tagger", "frequent", "--out", out, "--json"]);

const checksum = async (dir: string) => (await loadModel(dir)).manifest.modelSha256;

/**
 * Saves a small model into `dir` in a child process that kills itself (SIGKILL: no cleanup runs) right after `step`,
 * through saveModel's step hook in the built code.
 */
function saveAndDie(dir: string, step: string): void {
  const modelIndex = pathToFileURL(resolve(ROOT, "dist/src/model/index.js")).href;
  const script = `
    const { saveModel } = await import(${JSON.stringify(modelIndex)});
    const content = {
      kind: "frequent", labelMode: "multi",
      taxonomy: [{ tag: "pytorch", aliases: [], parents: [] }],
      state: { tags: [{ tag: "pytorch", share: 0.5 }] },
    };
    const manifest = {
      kind: "frequent", labelMode: "multi", data: { files: [], fingerprint: "sha256:x", items: 1 },
      taxonomy: { file: null, fingerprint: "sha256:y", tags: 1 }, seed: 1, config: {}, tuning: null,
      timings: null, tagsmithVersion: "test",
    };
    await saveModel(${JSON.stringify(dir)}, content, manifest, {}, {
      afterStep: (step) => {
        if (step === ${JSON.stringify(step)}) {
          process.stdout.write(JSON.stringify({ step }));
          process.kill(process.pid, "SIGKILL");
        }
      },
    });`;
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
  });
  expect(child.signal).toBe("SIGKILL");
  expect(JSON.parse(child.stdout)).toEqual({ step });
}

describe("train --out into an existing model directory, killed while saving", () => {
  it.each(SAVE_STEPS)(
    "killed after %s: DIR loads as one complete model, and the next train cleans up",
    async (step) => {
      const { parent, dir } = await place();
      expect(train(dir).status).toBe(0);
      const old = await checksum(dir);
      saveAndDie(dir, step);
      // Until the new model is in place, DIR is the old one (set aside for a moment, and read from there).
      const now = await checksum(dir);
      if (step === "written" || step === "old-set-aside") expect(now).toBe(old);
      else expect(now).not.toBe(old);
      const usable = tagsmith(["suggest", "--model", dir, "--title", "PyTorch", "--json"]);
      expect(usable.stderr).toBe("");
      expect(usable.status).toBe(0);

      const again = train(dir);
      expect(again.stderr).toBe("");
      expect(again.status).toBe(0);
      expect(await readdir(parent)).toEqual(["model"]);
      expect((await readdir(dir)).sort()).toEqual(["manifest.json", "metrics.json", "model.bin"]);
      expect(await checksum(dir)).toBe(JSON.parse(again.stdout).modelSha256);
    },
  );
});

describe("train --out into a directory that holds other files", () => {
  it("refuses a directory that is not a model directory in one line, exit 2, before training", async () => {
    const { dir } = await place();
    await mkdir(dir);
    await writeFile(join(dir, "notes.txt"), "mine");
    const result = train(dir);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `tagsmith: ${dir} is not empty and is not a model directory (no manifest.json; it holds notes.txt): choose a new or empty directory for the model, so no files are mixed or lost\n`,
    );
    expect(await readdir(dir)).toEqual(["notes.txt"]);
  });

  it("refuses a model directory with other files beside the model, keeping it as it was", async () => {
    const { dir } = await place();
    expect(train(dir).status).toBe(0);
    const before = await readFile(join(dir, "model.bin"));
    await writeFile(join(dir, "MODEL_CARD.md"), "# the old model's card");
    const result = train(dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `tagsmith: ${dir} is a model directory that also holds other files (MODEL_CARD.md): a new model replaces the whole directory, so move them out first, or choose another directory\n`,
    );
    expect(await readFile(join(dir, "model.bin"))).toEqual(before);
  });

  it("writes into an empty directory", async () => {
    const { dir } = await place();
    await mkdir(dir);
    expect(train(dir).status).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(["manifest.json", "metrics.json", "model.bin"]);
  });
});

describe("--model given something that is not a model directory", () => {
  const IS =
    "the directory tagsmith train --out DIR writes, holding model.bin, manifest.json and metrics.json";

  it("says a file was given, and what --model needs, exit 2", async () => {
    const file = join(work, "tags.json");
    await writeFile(file, "[]");
    const result = tagsmith(["eval", "--model", file, "--data", SAMPLE_CONTENT]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `tagsmith: --model ${file} is a file, but --model must be a model directory: ${IS}\n`,
    );
  });

  it("says what a model directory holds for one without manifest.json, exit 2", async () => {
    const { dir } = await place();
    await mkdir(dir);
    const result = tagsmith(["eval", "--model", dir, "--data", SAMPLE_CONTENT]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `tagsmith: --model ${dir} is not a model directory: it has no manifest.json (--model must be a model directory: ${IS})\n`,
    );
  });
});
