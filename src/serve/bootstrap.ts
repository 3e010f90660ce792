// The first run of `npm start`: a registry without a production model gets one, trained on the best data at hand,
// registered and promoted through the registry, so the service has something to serve.

import { existsSync } from "node:fs";
import type { Logger } from "pino";
import { TagsmithError } from "../errors.js";
import { withTempDir } from "../files/index.js";
import { ModelRegistry } from "../registry/index.js";
import { DEFAULT_TRAIN_CONFIG, trainFromFiles } from "../train/index.js";

/** Labeled data to train on: the first whose files all exist is used. */
export interface TrainingData {
  name: string;
  data: string;
  taxonomy: string;
  /** Adds categories or aliases to the taxonomy's tags. */
  overlay?: string;
}

export interface BootstrapOptions {
  registryDir: string;
  /** In order of preference. */
  candidates: readonly TrainingData[];
  logger: Logger;
  seed?: number;
  /** Recorded in the manifest: the code that trained the model (the commit is looked up only if training runs). */
  version: string;
  commit: () => string | null;
}

export const BOOTSTRAP_SEED = 42;

/** Returns the production version's id, training and promoting one first when there is none. */
export async function ensureProductionModel(options: BootstrapOptions): Promise<string> {
  const { logger } = options;
  const registry = new ModelRegistry(options.registryDir);
  const existing = await registry.production();
  if (existing) return existing.id;

  const chosen = options.candidates.find(
    (c) => existsSync(c.data) && existsSync(c.taxonomy) && (!c.overlay || existsSync(c.overlay)),
  );
  if (!chosen) {
    throw new TagsmithError(
      "file_not_found",
      `no production model and no training data to make one (looked for ${options.candidates.map((c) => c.data).join(", ")}): train and promote one with tagsmith train --register and tagsmith models promote`,
    );
  }
  const seed = options.seed ?? BOOTSTRAP_SEED;
  logger.info(
    {
      registry: registry.dir,
      data: chosen.data,
      taxonomy: chosen.taxonomy,
      tagger: DEFAULT_TRAIN_CONFIG.tagger,
      seed,
    },
    `no production model in ${registry.dir}: training one (${DEFAULT_TRAIN_CONFIG.tagger}, seed ${seed}) on ${chosen.name}`,
  );
  await registry.ensureWritable();
  return withTempDir("tagsmith-bootstrap-", async (out) => {
    const started = performance.now();
    const { trained } = await trainFromFiles({
      dataFiles: [chosen.data],
      taxonomyFile: chosen.taxonomy,
      ...(chosen.overlay ? { overlayFiles: [chosen.overlay] } : {}),
      out,
      seed,
      config: DEFAULT_TRAIN_CONFIG,
      version: options.version,
      commit: options.commit(),
    });
    const { version } = await registry.register(out);
    try {
      await registry.promote(version.id);
    } catch (error) {
      // Another process bootstrapping the same registry may have promoted first: its model serves as well.
      const now = await registry.production();
      if (!now) throw error;
      logger.info({ model: now.id }, "another process promoted a model meanwhile: serving it");
      return now.id;
    }
    logger.info(
      {
        model: version.id,
        seconds: Math.round((performance.now() - started) / 100) / 10,
        held_out: trained.heldOut.suggested,
      },
      `trained, registered and promoted ${version.id} to production`,
    );
    return version.id;
  });
}
