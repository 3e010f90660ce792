// The model directory: saved whole (never a mix of two models, never mixed with the user's files) and explained
// when a path given is not one. Killing a real process between the steps is in test/cli/train-out.test.ts.

import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TagsmithError } from "../errors.js";
import {
  assertModelDirTarget,
  loadModel,
  type ModelContent,
  SAVE_STEPS,
  type SaveStep,
  saveModel,
} from "./index.js";

let work: string;
let n = 0;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "tagsmith-model-dir-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const fresh = async () => {
  const dir = join(work, `case-${++n}`);
  await mkdir(dir);
  return dir;
};

/** A tiny "frequent" model: a different share gives a different model.bin. */
function content(share: number): ModelContent {
  return {
    kind: "frequent",
    labelMode: "multi",
    taxonomy: [{ tag: "pytorch", aliases: [], parents: [] }],
    state: { tags: [{ tag: "pytorch", share }] },
  };
}

const manifestFields = {
  kind: "frequent",
  labelMode: "multi" as const,
  data: { files: ["d.json"], fingerprint: "sha256:x", items: 1 },
  taxonomy: { file: null, fingerprint: "sha256:y", tags: 1 },
  seed: 1,
  config: {},
  tuning: null,
  timings: null,
  tagsmithVersion: "test",
};

const save = (dir: string, share: number, options = {}) =>
  saveModel(dir, content(share), manifestFields, { share }, options);

/** The checksum of the model DIR loads as, or the error code if it loads as none. */
async function loaded(dir: string): Promise<string> {
  try {
    return (await loadModel(dir)).manifest.modelSha256;
  } catch (error) {
    return `error: ${(error as TagsmithError).code}`;
  }
}

async function failure(promise: Promise<unknown>): Promise<TagsmithError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TagsmithError);
  return error as TagsmithError;
}

describe("saveModel", () => {
  it("writes a new directory, creating its parents", async () => {
    const dir = join(await fresh(), "a", "model");
    const manifest = await save(dir, 0.5);
    expect((await readdir(dir)).sort()).toEqual(["manifest.json", "metrics.json", "model.bin"]);
    expect(await loaded(dir)).toBe(manifest.modelSha256);
  });

  it("writes into an existing empty directory", async () => {
    const dir = await fresh();
    const manifest = await save(dir, 0.5);
    expect(await loaded(dir)).toBe(manifest.modelSha256);
  });

  it("replaces a model directory whole, leaving nothing beside it", async () => {
    const parent = await fresh();
    const dir = join(parent, "model");
    await save(dir, 0.5);
    const again = await save(dir, 0.25);
    expect(await loaded(dir)).toBe(again.modelSha256);
    expect(await readdir(parent)).toEqual(["model"]);
  });

  it("at every step, the directory is the complete old model or the complete new one", async () => {
    const parent = await fresh();
    const dir = join(parent, "model");
    const old = (await save(dir, 0.5)).modelSha256;
    const seen: [SaveStep, string][] = [];
    const next = await save(dir, 0.25, {
      afterStep: async (step: SaveStep) => {
        seen.push([step, await loaded(dir)]);
      },
    });
    expect(seen).toEqual([
      ["written", old],
      // DIR itself is absent for a moment here: a reader is given the model set aside.
      ["old-set-aside", old],
      ["new-in-place", next.modelSha256],
      ["old-removed", next.modelSha256],
    ]);
  });

  it.each(SAVE_STEPS)(
    "a failure after step %s leaves one complete model and no leftovers",
    async (at) => {
      const parent = await fresh();
      const dir = join(parent, "model");
      const old = (await save(dir, 0.5)).modelSha256;
      const boom = new Error(`failed after ${at}`);
      await expect(
        save(dir, 0.25, {
          afterStep: (step: SaveStep) => {
            if (step === at) throw boom;
          },
        }),
      ).rejects.toBe(boom);
      const now = await loaded(dir);
      // Before the new model is in place the old one stays; after, the new one is the model.
      if (at === "written" || at === "old-set-aside") expect(now).toBe(old);
      else expect(now).not.toBe(old);
      expect(now).not.toMatch(/^error/);
      expect(await readdir(parent)).toEqual(["model"]);
    },
  );

  it("the next save puts back a model set aside by a killed save, and removes its half-written one", async () => {
    const parent = await fresh();
    const dir = join(parent, "model");
    const old = (await save(dir, 0.5)).modelSha256;
    // What a save killed between its two renames leaves: DIR aside, the new one beside it, owned by a dead process.
    const dead = 2 ** 22 + 12_345;
    await rename(dir, join(parent, `.model.tagsmith-old.${dead}.abcd1234.${hostname()}`));
    await mkdir(join(parent, `.model.tagsmith-new.${dead}.abcd1234.${hostname()}`));
    expect(await loaded(dir)).toBe(old);
    // A save that fails its checks still leaves the directory put right.
    await writeFile(join(parent, "unrelated"), "x");
    const next = await save(dir, 0.25);
    expect(await loaded(dir)).toBe(next.modelSha256);
    expect((await readdir(parent)).sort()).toEqual(["model", "unrelated"]);
  });

  it("refuses a directory that is not empty and not a model directory, touching nothing", async () => {
    const dir = await fresh();
    await writeFile(join(dir, "notes.txt"), "mine");
    const error = await failure(save(dir, 0.5));
    expect(error.code).toBe("conflict");
    expect(error.message).toBe(
      `${dir} is not empty and is not a model directory (no manifest.json; it holds notes.txt): choose a new or empty directory for the model, so no files are mixed or lost`,
    );
    expect(await readdir(dir)).toEqual(["notes.txt"]);
  });

  it("refuses a model directory that also holds the user's files, keeping the old model", async () => {
    const dir = join(await fresh(), "model");
    const old = (await save(dir, 0.5)).modelSha256;
    await writeFile(join(dir, "MODEL_CARD.md"), "# old card");
    await writeFile(join(dir, "notes.txt"), "mine");
    const error = await failure(save(dir, 0.25));
    expect(error.code).toBe("conflict");
    expect(error.message).toContain(
      "is a model directory that also holds other files (MODEL_CARD.md, notes.txt): a new model replaces the whole directory",
    );
    expect(await loaded(dir)).toBe(old);
  });

  it("refuses a file where the directory should be", async () => {
    const file = join(await fresh(), "model");
    await writeFile(file, "x");
    const error = await failure(assertModelDirTarget(file));
    expect(error.message).toBe(
      `${file} is a file: a model is saved as a directory; choose a new or empty directory (or a model directory to replace)`,
    );
  });
});

describe("loadModel explains a path that is not a model directory", () => {
  const IS =
    "the directory tagsmith train --out DIR writes, holding model.bin, manifest.json and metrics.json";

  it("a file, named by the option it came from", async () => {
    const file = join(await fresh(), "tags.json");
    await writeFile(file, "[]");
    const error = await failure(loadModel(file, { option: "--model" }));
    expect(error.message).toBe(
      `--model ${file} is a file, but --model must be a model directory: ${IS}`,
    );
  });

  it("a directory without manifest.json", async () => {
    const dir = await fresh();
    const error = await failure(loadModel(dir, { option: "--model" }));
    expect(error.message).toBe(
      `--model ${dir} is not a model directory: it has no manifest.json (--model must be a model directory: ${IS})`,
    );
  });

  it("a model registry, pointing to its versions", async () => {
    const dir = await fresh();
    await writeFile(join(dir, "registry.json"), "{}");
    const error = await failure(loadModel(dir, { option: "--model" }));
    expect(error.message).toBe(
      `--model ${dir} is a model registry, not a model directory: give one of its versions, ${join(dir, "versions", "<id>")} (ids: tagsmith models list --registry ${dir})`,
    );
  });

  it("a path that does not exist, without an option", async () => {
    const dir = join(await fresh(), "nope");
    const error = await failure(loadModel(dir));
    expect(error.message).toBe(`${dir} does not exist: a model directory is needed (${IS})`);
  });
});

describe("loadModel refuses a model.bin damaged inside with its checksum redone", () => {
  it("names a number that is not finite, and where it is", async () => {
    const dir = await fresh();
    const damaged = content(0.5);
    // A typed array (JSON holds no NaN, so only these can), as the learned taggers' weights are stored.
    damaged.state = { ...(damaged.state as object), weights: new Float32Array([0.5, Number.NaN]) };
    await saveModel(dir, damaged, manifestFields, {});
    const error = await failure(loadModel(dir));
    expect(error.problem).toBe(
      "model.bin holds a number that is not finite at state.weights[1] (NaN): it is damaged; restore it, or retrain the model",
    );
    expect(error.location?.file).toBe(join(dir, "model.bin"));
  });
});
