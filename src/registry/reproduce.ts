// Reproducing a version: retrain from the data files, taxonomy, config and seed its manifest records and check the
// new model.bin is byte-identical. Inputs that changed since are reported before any training.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fingerprint, loadContent } from "../data/index.js";
import { TagsmithError } from "../errors.js";
import { sha256, withTempDir } from "../files/index.js";
import { MODEL_FILE, overlayFilesOf, taxonomyFingerprint } from "../model/index.js";
import { loadTaxonomy } from "../taxonomy/index.js";
import { parseTrainConfig, trainFromFiles } from "../train/index.js";
import type { ModelRegistry } from "./registry.js";

export interface ReproduceOptions {
  /** The code doing the retraining, for the manifest and for the message when the result differs. */
  version: string;
  commit: string | null;
  workers?: number;
  progress?: (stage: string, done: number, total: number) => void;
}

export interface Reproduction {
  id: string;
  modelSha256: string;
  seconds: number;
}

const short = (fp: string) => `${fp.slice(0, "sha256:".length + 12)}...`;

export async function reproduce(
  registry: ModelRegistry,
  ref: string,
  options: ReproduceOptions,
): Promise<Reproduction> {
  const version = await registry.get(ref);
  // A stored model.bin that no longer matches its manifest is what matters first: retraining would only show that
  // the recipe still works, while the version itself could not be served.
  await registry.verify(version);
  const { id, manifest } = version;
  const sources = manifest.data.sources;
  if (!sources || sources.length === 0)
    throw new TagsmithError(
      "not_reproducible",
      `${id} does not record where its data files are (trained by tagsmith ${manifest.tagsmithVersion} before models were registered): it cannot be reproduced; train and register it again`,
    );

  /** A file the version was trained with that is missing: said so, and that restoring it is the way back. */
  const restoring = <T>(loading: Promise<T>, file: string): Promise<T> =>
    loading.catch((error: unknown) => {
      if (error instanceof TagsmithError && error.code === "file_not_found")
        throw new TagsmithError(
          "file_not_found",
          `${error.message} (${file}: restore it to reproduce the model)`,
        );
      throw error;
    });

  for (const source of sources) {
    const { items } = await restoring(loadContent(source.path), `a data file ${id} was trained on`);
    const now = fingerprint(items);
    if (now !== source.fingerprint)
      throw new TagsmithError(
        "not_reproducible",
        `data file changed since ${id} was trained (fingerprint ${short(source.fingerprint)} then, ${short(now)} now, ${items.length} items now, ${source.items} then): restore the file as it was, or train and register a new model`,
        { file: source.path },
      );
  }
  const taxonomyFile = manifest.taxonomy.path ?? undefined;
  const overlayFiles = overlayFilesOf(manifest.taxonomy);
  if (taxonomyFile) {
    // The manifest keeps one fingerprint of the taxonomy with its overlays applied: which file changed it cannot say.
    const files = [taxonomyFile, ...overlayFiles];
    const named =
      overlayFiles.length === 0
        ? "taxonomy"
        : `taxonomy or an overlay (${files.join(", ")}, applied in that order)`;
    const taxonomy = await restoring(
      loadTaxonomy(taxonomyFile, overlayFiles),
      `${overlayFiles.length === 0 ? "the taxonomy file" : "a taxonomy or overlay file"} ${id} was trained with`,
    );
    const now = taxonomyFingerprint(taxonomy.definitions);
    if (now !== manifest.taxonomy.fingerprint)
      throw new TagsmithError(
        "not_reproducible",
        `${named} changed since ${id} was trained (fingerprint ${short(manifest.taxonomy.fingerprint)} then, ${short(now)} now): restore ${overlayFiles.length === 0 ? "it" : "them as they were"}, or train and register a new model`,
        overlayFiles.length === 0 ? { file: taxonomyFile } : undefined,
      );
  }

  const start = performance.now();
  return withTempDir(`tagsmith-reproduce-${id}-`, async (out) => {
    const { manifest: again } = await trainFromFiles({
      dataFiles: sources.map((s) => s.path),
      ...(taxonomyFile ? { taxonomyFile } : {}),
      overlayFiles,
      acceptTaxonomyErrors: true,
      out,
      seed: manifest.seed,
      config: parseTrainConfig(manifest.config, `${id} manifest.json config`),
      ...(options.workers ? { workers: options.workers } : {}),
      ...(options.progress ? { progress: options.progress } : {}),
      version: options.version,
      commit: options.commit,
    });
    // Fingerprints were checked above; a file changed during training shows here.
    if (again.data.fingerprint !== manifest.data.fingerprint)
      throw new TagsmithError(
        "not_reproducible",
        `the data of ${id} changed while it was retrained: run reproduce again`,
      );
    const found = sha256(await readFile(join(out, MODEL_FILE)));
    if (found !== manifest.modelSha256) {
      const then = `tagsmith ${manifest.code?.version ?? manifest.tagsmithVersion}${manifest.code?.commit ? ` (commit ${manifest.code.commit.slice(0, 12)})` : ""}`;
      const now = `tagsmith ${options.version}${options.commit ? ` (commit ${options.commit.slice(0, 12)})` : ""}`;
      throw new TagsmithError(
        "not_reproducible",
        `NOT REPRODUCED: retraining ${id} from the same data, taxonomy, config and seed gave a different model.bin (sha256 ${found.slice(0, 12)}... instead of ${manifest.modelSha256.slice(0, 12)}...); trained by ${then}, retrained by ${now}`,
      );
    }
    return { id, modelSha256: found, seconds: Math.round((performance.now() - start) / 10) / 100 };
  });
}
