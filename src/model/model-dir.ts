// A trained model on disk: a directory with model.bin (taxonomy and tagger state), manifest.json and metrics.json.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { TagsmithError } from "../errors.js";
import { sha256, writeFileAtomic } from "../files/index.js";
import { TAGGER_KINDS, type Tagger } from "../taggers/index.js";
import { type TagDefinition, Taxonomy } from "../taxonomy/index.js";
import { decodeModel, encodeModel, FORMAT_VERSION } from "./format.js";

export const MODEL_FILE = "model.bin";
export const MANIFEST_FILE = "manifest.json";
export const METRICS_FILE = "metrics.json";

/** What model.bin holds. */
export interface ModelContent {
  kind: string;
  labelMode: "multi" | "single";
  taxonomy: TagDefinition[];
  state: unknown;
}

/** One training data file as it was read: enough to find it again and to tell whether it changed. */
export interface DataSource {
  /** Absolute path at training time. */
  path: string;
  /** fingerprint() of the file's items alone. */
  fingerprint: string;
  items: number;
}

export interface ModelManifest {
  formatVersion: number;
  kind: string;
  labelMode: "multi" | "single";
  /** sha256 of model.bin: a changed or damaged file is refused. */
  modelSha256: string;
  modelBytes: number;
  /** When training finished (ISO 8601, UTC). Absent in models trained before the registry. */
  createdAt?: string;
  data: {
    files: string[];
    fingerprint: string;
    items: number;
    /** Absent in models trained before the registry: such a model cannot be reproduced from its manifest. */
    sources?: DataSource[];
    dateRange?: { from: string; to: string } | null;
  };
  taxonomy: {
    file: string | null;
    fingerprint: string;
    tags: number;
    /** Absolute paths of the taxonomy and overlay files; null when not given. */
    path?: string | null;
    overlay?: string | null;
  };
  seed: number;
  config: unknown;
  tuning: unknown;
  timings: unknown;
  tagsmithVersion: string;
  /** The code that trained the model: package version and git commit when run from a checkout. */
  code?: { version: string; commit: string | null };
}

export interface LoadedModel {
  tagger: Tagger;
  taxonomy: Taxonomy;
  manifest: ModelManifest;
  content: ModelContent;
}

export function taxonomyFingerprint(definitions: readonly TagDefinition[]): string {
  return `sha256:${sha256(JSON.stringify(definitions))}`;
}

/**
 * Writes model.bin, then metrics.json, then manifest.json last: a directory with a manifest is complete.
 * Manifest fields that depend on the bytes (checksum, size) are filled in here.
 */
export async function saveModel(
  dir: string,
  content: ModelContent,
  manifest: Omit<ModelManifest, "modelSha256" | "modelBytes" | "formatVersion">,
  metrics: unknown,
): Promise<ModelManifest> {
  const bytes = encodeModel(content);
  await writeFileAtomic(join(dir, MODEL_FILE), bytes);
  await writeFileAtomic(join(dir, METRICS_FILE), `${JSON.stringify(metrics, null, 2)}\n`);
  const full: ModelManifest = {
    formatVersion: FORMAT_VERSION,
    ...manifest,
    modelSha256: sha256(bytes),
    modelBytes: bytes.length,
  };
  await writeFileAtomic(join(dir, MANIFEST_FILE), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

async function readOrExplain(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new TagsmithError(
        "file_not_found",
        `${what} missing: not a complete model directory (train one with tagsmith train --out DIR)`,
        { file },
      );
    }
    throw error;
  }
}

export async function loadModel(dir: string): Promise<LoadedModel> {
  const manifestFile = join(dir, MANIFEST_FILE);
  const manifestText = (await readOrExplain(manifestFile, "manifest.json")).toString("utf8");
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(manifestText);
  } catch {
    throw new TagsmithError("invalid_input", "manifest.json is not valid JSON: retrain the model", {
      file: manifestFile,
    });
  }
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new TagsmithError(
      "invalid_input",
      `model format version ${manifest.formatVersion} is not the version this tagsmith reads (${FORMAT_VERSION}): retrain the model`,
      { file: manifestFile },
    );
  }
  const modelFile = join(dir, MODEL_FILE);
  const bytes = await readOrExplain(modelFile, "model.bin");
  if (sha256(bytes) !== manifest.modelSha256) {
    throw new TagsmithError(
      "invalid_input",
      "model.bin does not match the checksum in manifest.json (damaged or partly written): retrain or restore the model",
      { file: modelFile },
    );
  }
  const content = decodeModel(bytes, modelFile) as ModelContent;
  const kind = TAGGER_KINDS[content.kind];
  if (!kind) {
    throw new TagsmithError(
      "invalid_input",
      `model kind "${content.kind}" is unknown to this tagsmith (known: ${Object.keys(TAGGER_KINDS).join(", ")})`,
      { file: modelFile },
    );
  }
  const taxonomy = new Taxonomy(content.taxonomy);
  return { tagger: kind.create(content.state, taxonomy), taxonomy, manifest, content };
}
