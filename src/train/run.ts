// Training from files to a model directory: the function behind `tagsmith train`, `models reproduce`
// and the service's first run.

import { availableParallelism } from "node:os";
import { basename, resolve } from "node:path";
import {
  type ContentItem,
  fingerprint,
  loadContent,
  repeatedIds,
  repeatedIdsWarning,
  sharedLabelMode,
} from "../data/index.js";
import { scoringPlan } from "../eval/index.js";
import { assertWritableDir, distinctFiles } from "../files/index.js";
import {
  type DataSource,
  type ModelManifest,
  saveModel,
  taxonomyFingerprint,
} from "../model/index.js";
import { TAGGER_KINDS } from "../taggers/index.js";
import { loadTaxonomyOrLabels, type Taxonomy } from "../taxonomy/index.js";
import type { TrainConfig } from "./config.js";
import { type TrainedModel, trainTagger } from "./train.js";

export interface TrainRequest {
  dataFiles: string[];
  taxonomyFile?: string;
  /** Applied to the taxonomy in order (loadTaxonomy). */
  overlayFiles?: readonly string[];
  /**
   * Train on a taxonomy with errors `data validate` reports, as it is: for reproducing a version trained before such
   * taxonomies were refused (fixing it would change its fingerprint, and the version could never be reproduced).
   */
  acceptTaxonomyErrors?: boolean;
  out: string;
  seed: number;
  config: TrainConfig;
  workers?: number;
  progress?: (stage: string, done: number, total: number) => void;
  /** Told, before training, what is suspicious in the data but not wrong enough to refuse (ids several items share). */
  warn?: (message: string) => void;
  version: string;
  /** git commit of the code, when known: recorded so a model can be traced to the code that trained it. */
  commit?: string | null;
}

/** The taxonomy given, or (without one) a flat one of every tag in the items: what data, train and benchmark use. */
export function taxonomyFor(
  items: readonly ContentItem[],
  file?: string,
  overlays: readonly string[] = [],
  options: { checked?: boolean } = {},
): Promise<Taxonomy> {
  return loadTaxonomyOrLabels(file, overlays, () => items.flatMap((i) => i.tags), options);
}

export async function trainFromFiles(
  request: TrainRequest,
): Promise<{ manifest: ModelManifest; trained: TrainedModel }> {
  // Before minutes of training: a model directory that cannot be written is reported now, and nothing is created.
  await assertWritableDir(request.out);
  await distinctFiles(request.dataFiles, { noun: "data file", use: "trained on" });
  const items: ContentItem[] = [];
  const sources: DataSource[] = [];
  const idsByFile: { file: string; items: readonly ContentItem[] }[] = [];
  const modes: { file: string; labelMode: "multi" | "single" }[] = [];
  for (const file of request.dataFiles) {
    const loaded = await loadContent(file);
    items.push(...loaded.items);
    idsByFile.push({ file, items: loaded.items });
    modes.push({ file, labelMode: loaded.labelMode });
    sources.push({
      path: resolve(file),
      fingerprint: fingerprint(loaded.items),
      items: loaded.items.length,
    });
  }
  // A multi-label model would read a single-label item's one class as all its tags, every other tag a "no".
  const labelMode = sharedLabelMode(modes, "a model learns from one kind; train on");
  const warning = repeatedIdsWarning(repeatedIds(idsByFile));
  if (warning) request.warn?.(warning);
  const overlayFiles = request.overlayFiles ?? [];
  const taxonomy = await taxonomyFor(items, request.taxonomyFile, overlayFiles, {
    checked: !request.acceptTaxonomyErrors,
  });
  // The name was checked where the config was read (parseTrainConfig) and where --tagger replaced it (namedTagger).
  const kind = TAGGER_KINDS[request.config.tagger];

  const trained = await trainTagger(
    kind,
    items,
    {
      taxonomy,
      seed: request.seed,
      options: request.config.options,
      workers: request.workers ?? Math.min(2, availableParallelism()),
      ...(request.progress ? { progress: request.progress } : {}),
    },
    scoringPlan(request.config.limit, labelMode),
  );
  const manifest = await saveModel(
    request.out,
    { kind: kind.name, labelMode, taxonomy: [...taxonomy.definitions], state: trained.state },
    {
      kind: kind.name,
      labelMode,
      createdAt: new Date().toISOString(),
      data: {
        files: request.dataFiles.map((f) => basename(f)),
        fingerprint: fingerprint(items),
        items: items.length,
        sources,
        dateRange: dateRange(items),
      },
      taxonomy: {
        file: request.taxonomyFile ? basename(request.taxonomyFile) : null,
        fingerprint: taxonomyFingerprint(taxonomy.definitions),
        tags: taxonomy.size,
        path: request.taxonomyFile ? resolve(request.taxonomyFile) : null,
        overlays: overlayFiles.map((overlay) => resolve(overlay)),
      },
      seed: request.seed,
      config: request.config,
      tuning: trained.tuning,
      timings: trained.timings,
      tagsmithVersion: request.version,
      code: { version: request.version, commit: request.commit ?? null },
    },
    trained.heldOut,
  );
  return { manifest, trained };
}

/** Oldest and newest created_on: how far the model's knowledge reaches (model cards warn about drift). */
function dateRange(items: readonly ContentItem[]): { from: string; to: string } | null {
  const dates = items.map((i) => i.createdOn).filter((d): d is string => d !== null);
  if (dates.length === 0) return null;
  dates.sort();
  return { from: dates[0], to: dates[dates.length - 1] };
}
