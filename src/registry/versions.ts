// The version store: the registry's versions/<id>/ directories (model.bin, manifest.json, metrics.json, the model
// card), each assembled in .staging/ and renamed into place whole, so a version is complete or absent. It knows
// directories and files, not stages: registry.json and its lock are the registry's (registry.ts).

import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { TagsmithError } from "../errors.js";
import {
  describeIssues,
  errnoOf,
  isAbandoned,
  NotWritableError,
  ownerTag,
  sha256,
  writeFileAtomic,
} from "../files/index.js";
import {
  type LoadedModel,
  loadModel,
  MANIFEST_FILE,
  METRICS_FILE,
  MODEL_FILE,
} from "../model/index.js";
import { type HeldOutMetrics, renderModelCard } from "./card.js";
import {
  CARD_FILE,
  type HeldOutSummary,
  type ModelVersion,
  STAGING_DIR,
  VERSIONS_DIR,
  type VersionManifest,
  VersionManifestSchema,
} from "./schema.js";

/** Why a version's manifest.json could not be read, in words, by errno; any other code is given as it is. */
const MANIFEST_READ_ERRORS: Record<string, string> = {
  ENOTDIR: "its version directory is a file",
  EISDIR: "it is a directory",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ELOOP: "it is a link that leads back to itself",
};

export function errno(error: unknown): string | undefined {
  // The shared writer has already turned "cannot write" into a NotWritableError: its errno is the OS's.
  return error instanceof NotWritableError ? error.errno : errnoOf(error);
}

function heldOutSummary(metrics: HeldOutMetrics | null): HeldOutSummary | null {
  if (!metrics?.suggested || !metrics.at_k?.["5"]) return null;
  return {
    items: metrics.items,
    split: metrics.split,
    precision: metrics.suggested.precision,
    recall: metrics.suggested.recall,
    suggested_f1: metrics.suggested.f1,
    recall_at_5: metrics.at_k["5"].recall,
    ndcg_at_5: metrics.ndcg_at_5,
  };
}

/** Runs a write, turning "cannot write here" into the registry's one clear line. */
export type Writing = <T>(run: () => Promise<T>) => Promise<T>;

export class VersionStore {
  constructor(
    /** The registry's directory. */
    private readonly root: string,
    private readonly writing: Writing,
  ) {}

  dir(id: string): string {
    return join(this.root, VERSIONS_DIR, id);
  }

  async readManifest(id: string): Promise<VersionManifest> {
    const file = join(this.dir(id), MANIFEST_FILE);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      const code = errno(error);
      if (code === "ENOENT")
        throw new TagsmithError(
          "file_not_found",
          `version ${id} is missing from ${this.root} (its directory or manifest.json was removed)`,
          { file },
        );
      // Whatever keeps it from being read (a file where its directory should be, a directory or a link loop where
      // the manifest should be, no permission, a disk error), this version is damaged, not the registry.
      if (code === undefined) throw error;
      throw new TagsmithError(
        "invalid_input",
        `version ${id} is damaged: its manifest.json cannot be read (${MANIFEST_READ_ERRORS[code] ?? code}): restore the version's directory, or register the model again`,
        { file },
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new TagsmithError(
        "invalid_input",
        `version ${id} is damaged: manifest.json is not JSON: restore it, or register the model again`,
        {
          file,
        },
      );
    }
    const checked = VersionManifestSchema.safeParse(parsed);
    if (!checked.success)
      throw new TagsmithError(
        "invalid_input",
        `version ${id} is damaged: manifest.json is not a version manifest (${describeIssues(checked.error)}): register the model again`,
        { file },
      );
    // As written, as a model directory's manifest: fields a newer tagsmith added are kept.
    return parsed as VersionManifest;
  }

  /** Checks model.bin against its manifest's checksum: a damaged version is never promoted or rolled back to. */
  async verify(version: Pick<ModelVersion, "id" | "dir" | "manifest">): Promise<void> {
    const file = join(version.dir, MODEL_FILE);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      if (errno(error) === "ENOENT")
        throw new TagsmithError(
          "invalid_input",
          `version ${version.id} is damaged: model.bin missing`,
          {
            file,
          },
        );
      throw error;
    }
    const found = sha256(bytes);
    if (found !== version.manifest.modelSha256)
      throw new TagsmithError(
        "invalid_input",
        `version ${version.id} is damaged: model.bin does not match the checksum in its manifest (sha256 ${version.manifest.modelSha256.slice(0, 12)}... expected, ${found.slice(0, 12)}... found): restore the file or register the model again from ${version.manifest.registry.source}`,
        { file },
      );
  }

  /** A version's model, checked, ready to score. */
  async load(id: string): Promise<LoadedModel> {
    const dir = this.dir(id);
    await this.verify({ id, dir, manifest: await this.readManifest(id) });
    return loadModel(dir);
  }

  async heldOut(id: string): Promise<HeldOutMetrics | null> {
    try {
      return JSON.parse(await readFile(join(this.dir(id), METRICS_FILE), "utf8"));
    } catch {
      return null;
    }
  }

  /**
   * Whether a version's directory is there and whole: absent (never registered, or its directory removed), damaged
   * (a manifest or model.bin that cannot be read or does not match: what was wrong), or sound. A sound version of
   * another model under the same id is a 48-bit id collision, refused.
   */
  async health(
    id: string,
    sha: string,
    source: string,
  ): Promise<{ absent?: true; damaged?: string }> {
    const dir = this.dir(id);
    try {
      const manifest = await this.readManifest(id);
      if (manifest.modelSha256 !== sha)
        throw new TagsmithError(
          "conflict",
          `version id ${id} already names a different model in ${this.root} (a 48-bit id collision): cannot register ${source}`,
        );
      await this.verify({ id, dir, manifest });
      return {};
    } catch (error) {
      if (!(error instanceof TagsmithError) || error.code === "conflict") throw error;
      if (error.code === "file_not_found" && !existsSync(dir)) return { absent: true };
      return { damaged: error.message };
    }
  }

  /** Renames a staged version into versions/; false when another process got there first (its copy is the version). */
  async moveIn(staging: string, id: string): Promise<boolean> {
    try {
      await rename(staging, this.dir(id));
      return true;
    } catch (error) {
      if (errno(error) === "ENOTEMPTY" || errno(error) === "EEXIST") return false;
      throw error;
    }
  }

  /**
   * Puts a staged copy in place of a damaged version directory (under the register lock). The damaged one is moved
   * into .staging/ first, under a name of this process, so a crash between the renames leaves it where abandoned
   * staging is cleared, and the version absent, which the next register mends.
   */
  async replaceDamaged(staging: string, id: string): Promise<void> {
    const dir = this.dir(id);
    const aside = join(this.root, STAGING_DIR, ownerTag());
    await this.writing(() => rename(dir, aside));
    await this.writing(() => rename(staging, dir));
    await rm(aside, { recursive: true, force: true });
  }

  /**
   * Writes the version into .staging/ and hands it to `install` (which moves it into versions/, or says why not by
   * returning false); whatever is left of the staged copy is removed.
   */
  async stage(
    source: string,
    id: string,
    model: LoadedModel,
    at: string,
    install: (staging: string) => Promise<boolean>,
  ): Promise<boolean> {
    await this.removeAbandonedStaging();
    // Named by pid and host so a crashed register's leftovers can be told from a running one's; mkdir, not mkdtemp,
    // so the version directory gets the usual permissions rather than mkdtemp's owner-only ones.
    const staging = join(this.root, STAGING_DIR, ownerTag());
    await this.writing(() => mkdir(staging));
    try {
      // model.dir, not source: while a save swaps the source directory, the model was read where it was set aside.
      await this.writing(() => copyFile(join(model.dir, MODEL_FILE), join(staging, MODEL_FILE)));
      // Held-out metrics are optional (a model directory without them still registers, with no metrics).
      const metricsFile = join(model.dir, METRICS_FILE);
      const metricsText = await readFile(metricsFile, "utf8").catch((error) => {
        if (errno(error) === "ENOENT") return undefined;
        throw error;
      });
      let heldOut: HeldOutMetrics | null = null;
      if (metricsText !== undefined) {
        try {
          heldOut = JSON.parse(metricsText);
        } catch {
          throw new TagsmithError(
            "invalid_input",
            "metrics.json is not valid JSON: retrain the model",
            {
              file: metricsFile,
            },
          );
        }
        await this.writing(() => writeFileAtomic(join(staging, METRICS_FILE), metricsText));
      }
      const manifest: VersionManifest = {
        ...model.manifest,
        registry: { id, registeredAt: at, source, heldOut: heldOutSummary(heldOut) },
      };
      // The copy is checked against the manifest, so a file changed while copying never becomes a version.
      if (sha256(await readFile(join(staging, MODEL_FILE))) !== manifest.modelSha256)
        throw new TagsmithError(
          "invalid_input",
          `model.bin changed while it was registered: register it again`,
          { file: join(source, MODEL_FILE) },
        );
      await this.writing(() =>
        writeFileAtomic(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`),
      );
      const version: ModelVersion = {
        id,
        dir: staging,
        manifest,
        stage: "candidate",
        history: [{ at, action: "register", from: null, stage: "candidate", forced: false }],
        lastGate: null,
      };
      await this.writing(() =>
        writeFileAtomic(join(staging, CARD_FILE), renderModelCard({ version, heldOut })),
      );
      return await install(staging);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  /** Staging directories of processes that died while registering. */
  private async removeAbandonedStaging(): Promise<void> {
    const dir = join(this.root, STAGING_DIR);
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (isAbandoned(name)) await rm(join(dir, name), { recursive: true, force: true });
    }
  }
}
