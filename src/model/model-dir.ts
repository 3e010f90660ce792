// A trained model on disk: a directory with model.bin (taxonomy and tagger state), manifest.json and metrics.json.
//
// Saving never leaves a mix of two models: the new directory is written whole beside DIR (.DIR.tagsmith-new.*), then
// swapped in by two renames, DIR aside to .DIR.tagsmith-old.* and the new one to DIR, and the old one removed. Between
// the renames DIR is briefly absent: a reader then takes the model set aside (loadModel), and the next save after a
// killed one puts the set-aside model back, or removes what was set aside or half-written.

import { mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { TagsmithError } from "../errors.js";
import {
  assertWritableDir,
  creatingFor,
  describeIssues,
  errnoOf,
  isAbandoned,
  makeDirectory,
  NotWritableError,
  notWritable,
  ownerTag,
  sha256,
  writeFileAtomic,
} from "../files/index.js";
import { forLabelMode, TAGGER_KINDS, type Tagger } from "../taggers/index.js";
import { type TagDefinition, Taxonomy } from "../taxonomy/index.js";
import { decodeModel, encodeModel, FORMAT_VERSION, nonFiniteAt } from "./format.js";
import { type ModelManifest, ModelManifestSchema } from "./manifest.js";

export const MODEL_FILE = "model.bin";
export const MANIFEST_FILE = "manifest.json";
export const METRICS_FILE = "metrics.json";

/** What model.bin holds. */
export interface ModelContent {
  kind: string;
  labelMode: ModelManifest["labelMode"];
  taxonomy: TagDefinition[];
  state: unknown;
}

export interface LoadedModel {
  tagger: Tagger;
  taxonomy: Taxonomy;
  manifest: ModelManifest;
  content: ModelContent;
  /** Where the files were read: the directory given, or the model a save set aside while it swapped that one. */
  dir: string;
}

/** What a model directory is, for messages about a path that is not one. */
const MODEL_DIR_IS = `the directory tagsmith train --out DIR writes, holding ${MODEL_FILE}, ${MANIFEST_FILE} and ${METRICS_FILE}`;

/** The files of a model directory; anything else in one is the user's, and a save never replaces or removes it. */
const MODEL_FILES: readonly string[] = [MODEL_FILE, MANIFEST_FILE, METRICS_FILE];

/** Temporary files of an interrupted write of one of those (files/write.ts names them so): dropped with the model. */
const PARTIAL_WRITE = /^\.(model\.bin|manifest\.json|metrics\.json)\.\d+\.[0-9a-f]+\.tmp$/;

/** The steps of saveModel, in order; SaveOptions.afterStep runs after each (even with no old model to set aside). */
export const SAVE_STEPS = ["written", "old-set-aside", "new-in-place", "old-removed"] as const;
export type SaveStep = (typeof SAVE_STEPS)[number];

export interface SaveOptions {
  /** Runs after each step: tests look at the directory there, fail there, or kill the process there. */
  afterStep?: (step: SaveStep) => void | Promise<void>;
}

export function taxonomyFingerprint(definitions: readonly TagDefinition[]): string {
  return `sha256:${sha256(JSON.stringify(definitions))}`;
}

/** A few names of a directory's files, for a message. */
function someNames(names: readonly string[]): string {
  const shown = names.slice(0, 3).join(", ");
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

/**
 * Refuses a path a model cannot be saved to without mixing files: a file, a directory of other files, or a model
 * directory that also holds files of the user's. Called before training, so the user learns it at once, and again
 * when saving.
 */
export async function assertModelDirTarget(dir: string): Promise<void> {
  const target = resolve(dir);
  // The new model is written beside DIR and swapped in: DIR's parent must be writable, not only DIR.
  try {
    await assertWritableDir(dirname(target));
  } catch (error) {
    throw error instanceof NotWritableError ? new NotWritableError(target, error.errno) : error;
  }
  let names: string[];
  try {
    names = await readdir(target);
  } catch (error) {
    const code = errnoOf(error);
    if (code === "ENOTDIR" && (await stat(target).catch(() => null))?.isFile())
      throw new TagsmithError(
        "conflict",
        `${target} is a file: a model is saved as a directory; choose a new or empty directory (or a model directory to replace)`,
      );
    // Absent: created when saved.
    if (code === "ENOENT") return;
    throw notWritable(error, target);
  }
  const others = names.filter((name) => !MODEL_FILES.includes(name) && !PARTIAL_WRITE.test(name));
  if (names.length > 0 && !names.includes(MANIFEST_FILE))
    throw new TagsmithError(
      "conflict",
      `${target} is not empty and is not a model directory (no ${MANIFEST_FILE}; it holds ${someNames(names)}): choose a new or empty directory for the model, so no files are mixed or lost`,
    );
  if (others.length > 0)
    throw new TagsmithError(
      "conflict",
      `${target} is a model directory that also holds other files (${someNames(others)}): a new model replaces the whole directory, so move them out first, or choose another directory`,
    );
}

type Aside = "new" | "old";

/** Where a save keeps the new model while writing it ("new") and the old one while swapping ("old"), beside DIR. */
function asidePrefix(target: string, kind: Aside): string {
  return `.${basename(target)}.tagsmith-${kind}.`;
}

/** Named by the owner process, so a killed save's leftovers can be told from a running one's (as registry staging is). */
function asidePath(target: string, kind: Aside): string {
  return join(dirname(target), `${asidePrefix(target, kind)}${ownerTag()}`);
}

/** The directories saves of DIR set aside, each with whether the process that made it is gone. */
async function asides(
  target: string,
): Promise<{ path: string; kind: Aside; abandoned: boolean }[]> {
  const parent = dirname(target);
  const names = await readdir(parent).catch(() => [] as string[]);
  const found = [];
  for (const kind of ["old", "new"] as const) {
    const prefix = asidePrefix(target, kind);
    for (const name of names.filter((n) => n.startsWith(prefix))) {
      // A process on another host cannot be checked: its leftovers are left alone.
      found.push({
        path: join(parent, name),
        kind,
        abandoned: isAbandoned(name.slice(prefix.length)),
      });
    }
  }
  return found;
}

/**
 * Puts right what a killed save of DIR left: the old model goes back if DIR is missing (killed between the two
 * renames), and everything else set aside is removed (the new model never finished, or the old one was replaced).
 */
async function recoverAsides(target: string): Promise<void> {
  for (const aside of await asides(target)) {
    if (!aside.abandoned) continue;
    if (aside.kind === "old") {
      try {
        await rename(aside.path, target);
        continue;
      } catch (error) {
        // DIR is there (the new model, or another old one put back first): this one is not needed.
        if (errnoOf(error) !== "ENOTEMPTY" && errnoOf(error) !== "EEXIST") throw error;
      }
    }
    await rm(aside.path, { recursive: true, force: true });
  }
}

/**
 * Saves a model directory whole: model.bin, metrics.json and manifest.json (whose checksum and size are filled in
 * here) are written to a new directory beside DIR, which then replaces DIR (see the top of the file). DIR may be
 * absent, empty, or a model directory; anything else is refused (assertModelDirTarget).
 */
export async function saveModel(
  dir: string,
  content: ModelContent,
  manifest: Omit<ModelManifest, "modelSha256" | "modelBytes" | "formatVersion">,
  metrics: unknown,
  options: SaveOptions = {},
): Promise<ModelManifest> {
  const target = resolve(dir);
  await recoverAsides(target);
  await assertModelDirTarget(target);
  const bytes = encodeModel(content);
  const full: ModelManifest = {
    formatVersion: FORMAT_VERSION,
    ...manifest,
    modelSha256: sha256(bytes),
    modelBytes: bytes.length,
  };
  const fresh = asidePath(target, "new");
  const old = asidePath(target, "old");
  const step = async (name: SaveStep) => options.afterStep?.(name);
  let setAside = false;
  let inPlace = false;
  try {
    await creatingFor(target, () => makeDirectory(dirname(target)));
    // mkdir, not mkdtemp: the model directory gets the usual permissions rather than mkdtemp's owner-only ones.
    await creatingFor(target, () => mkdir(fresh));
    await writeFileAtomic(join(fresh, MODEL_FILE), bytes);
    await writeFileAtomic(join(fresh, METRICS_FILE), `${JSON.stringify(metrics, null, 2)}\n`);
    await writeFileAtomic(join(fresh, MANIFEST_FILE), `${JSON.stringify(full, null, 2)}\n`);
    await step("written");
    try {
      await rename(target, old);
      setAside = true;
    } catch (error) {
      if (errnoOf(error) !== "ENOENT") throw error;
    }
    await step("old-set-aside");
    await rename(fresh, target);
    inPlace = true;
    await step("new-in-place");
    if (setAside) await rm(old, { recursive: true, force: true });
    await step("old-removed");
    return full;
  } catch (error) {
    if (!inPlace) {
      await rm(fresh, { recursive: true, force: true });
      // Put the old model back, unless another save filled DIR meanwhile (then the old one is not needed).
      if (setAside) await rename(old, target).catch(() => undefined);
    }
    if (setAside) await rm(old, { recursive: true, force: true });
    if (errnoOf(error) === "ENOTEMPTY" || errnoOf(error) === "EEXIST")
      throw new TagsmithError(
        "conflict",
        `${target} was written by another process while this model was saved: save again, one at a time`,
      );
    throw error;
  }
}

/** The advice for a registry given where a model directory is needed: one of its versions. */
export const versionsOf = (registry: string) =>
  `give one of its versions, ${join(registry, "versions", "<id>")} (ids: tagsmith models list --registry ${registry})`;

/** The file that makes a directory a model registry (registry/schema.ts; not imported: the registry builds on this module). */
const REGISTRY_FILE = "registry.json";

/** How a path that is not a model directory is named in messages: by the option that gave it, when there is one. */
interface LoadOptions {
  /** The option the directory came from (e.g. "--model"), for messages. */
  option?: string;
  /** What to do instead when the directory is a registry (default: give one of its versions). */
  ifRegistry?: (dir: string) => string;
}

/**
 * The directory to read DIR's model from: DIR, or while a save swaps it (DIR absent), the model it set aside. A
 * path that is not a model directory is explained: what was given, and what a model directory is.
 */
async function modelFilesDir(dir: string, options: LoadOptions): Promise<string> {
  const subject = options.option ? `${options.option} ${dir}` : dir;
  const needed = options.option
    ? `${options.option} must be a model directory`
    : "a model directory is needed";
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(dir)).isDirectory();
  } catch (error) {
    if (errnoOf(error) !== "ENOENT" && errnoOf(error) !== "ENOTDIR") throw error;
    for (const aside of await asides(resolve(dir)))
      if (aside.kind === "old" && (await stat(join(aside.path, MANIFEST_FILE)).catch(() => null)))
        return aside.path;
    throw new TagsmithError(
      "file_not_found",
      `${subject} does not exist: ${needed} (${MODEL_DIR_IS})`,
    );
  }
  if (!isDirectory)
    throw new TagsmithError(
      "invalid_input",
      `${subject} is a file, but ${needed}: ${MODEL_DIR_IS}`,
    );
  if (!(await stat(join(dir, MANIFEST_FILE)).catch(() => null))) {
    // A registry is the likeliest directory to be given instead (./models): its versions are model directories.
    const registry = await stat(join(dir, REGISTRY_FILE)).catch(() => null);
    throw new TagsmithError(
      "file_not_found",
      registry
        ? `${subject} is a model registry, not a model directory: ${(options.ifRegistry ?? versionsOf)(dir)}`
        : `${subject} is not a model directory: it has no ${MANIFEST_FILE} (${needed}: ${MODEL_DIR_IS})`,
    );
  }
  return dir;
}

async function readOrExplain(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = errnoOf(error);
    if (code === "ENOENT" || code === "ENOTDIR") {
      throw new TagsmithError(
        "file_not_found",
        `${what} missing: not a complete model directory (train one with tagsmith train --out DIR)`,
        { file },
      );
    }
    if (code === "EISDIR") {
      throw new TagsmithError(
        "invalid_input",
        `${what} is a directory, not the file a model directory holds: retrain the model into a new directory`,
        { file },
      );
    }
    throw error;
  }
}

/** The manifest and model.bin of one directory, the checksum checked. */
async function readModelFiles(
  dir: string,
): Promise<{ manifest: ModelManifest; bytes: Buffer; modelFile: string; matches: boolean }> {
  const manifestFile = join(dir, MANIFEST_FILE);
  const manifestText = (await readOrExplain(manifestFile, MANIFEST_FILE)).toString("utf8");
  let parsed: unknown;
  try {
    parsed = JSON.parse(manifestText);
  } catch {
    throw new TagsmithError("invalid_input", "manifest.json is not valid JSON: retrain the model", {
      file: manifestFile,
    });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new TagsmithError(
      "invalid_input",
      "manifest.json is not a model manifest (not a JSON object): retrain the model, or restore the file",
      { file: manifestFile },
    );
  }
  // The format version first: a model from another version of tagsmith is named as that, not as a list of fields.
  const { formatVersion } = parsed as { formatVersion?: unknown };
  if (formatVersion !== FORMAT_VERSION) {
    throw new TagsmithError(
      "invalid_input",
      `model format version ${JSON.stringify(formatVersion ?? null)} is not the version this tagsmith reads (${FORMAT_VERSION}): retrain the model`,
      { file: manifestFile },
    );
  }
  const checked = ModelManifestSchema.safeParse(parsed);
  if (!checked.success) {
    throw new TagsmithError(
      "invalid_input",
      `manifest.json is not a model manifest (${describeIssues(checked.error)}): retrain the model, or restore the file`,
      { file: manifestFile },
    );
  }
  // Checked, then kept as written: fields a newer tagsmith or the registry added, at any depth, are carried along
  // (the registry copies this manifest into a version's), not stripped by the schema.
  const manifest = parsed as ModelManifest;
  const modelFile = join(dir, MODEL_FILE);
  const bytes = await readOrExplain(modelFile, MODEL_FILE);
  return { manifest, bytes, modelFile, matches: sha256(bytes) === manifest.modelSha256 };
}

/** Loads a model directory; `option` names where it came from, so a wrong path is explained in those words. */
export async function loadModel(dir: string, options: LoadOptions = {}): Promise<LoadedModel> {
  let source = await modelFilesDir(dir, options);
  let files = await readModelFiles(source);
  if (!files.matches) {
    // A save may have swapped the directory between the two reads: a mismatch that stays on a second read is real.
    source = await modelFilesDir(dir, options);
    files = await readModelFiles(source);
  }
  const { manifest, bytes, modelFile } = files;
  if (!files.matches) {
    throw new TagsmithError(
      "invalid_input",
      "model.bin does not match the checksum in manifest.json (damaged or partly written): retrain or restore the model",
      { file: modelFile },
    );
  }
  const content = decodeModel(bytes, modelFile) as ModelContent;
  // The checksum ties model.bin to the manifest; these say so when the manifest's own words were edited since.
  for (const field of ["kind", "labelMode"] as const) {
    if (manifest[field] !== content[field]) {
      throw new TagsmithError(
        "invalid_input",
        `manifest.json says ${field} "${manifest[field]}" but model.bin holds a ${content[field]}${field === "labelMode" ? "-label" : ""} model: the manifest was edited or belongs to another model; retrain the model, or restore the file`,
        { file: join(source, MANIFEST_FILE) },
      );
    }
  }
  // Bytes changed inside with the checksum redone: a NaN loads, and then every score it touches is lost unseen.
  const nonFinite = nonFiniteAt(content.state, "state");
  if (nonFinite)
    throw new TagsmithError(
      "invalid_input",
      `model.bin holds a number that is not finite at ${nonFinite}: it is damaged; restore it, or retrain the model`,
      { file: modelFile },
    );
  const kind = TAGGER_KINDS[content.kind];
  if (!kind) {
    throw new TagsmithError(
      "invalid_input",
      `model kind "${content.kind}" is unknown to this tagsmith (known: ${Object.keys(TAGGER_KINDS).join(", ")})`,
      { file: modelFile },
    );
  }
  // A file whose checksum matches but whose content has another shape (written by a build of another shape under the
  // same format version, or edited with its checksum) fails here, deep in a tagger: said as that, not as a crash.
  let taxonomy: Taxonomy;
  let tagger: Tagger;
  try {
    taxonomy = new Taxonomy(content.taxonomy);
    tagger = kind.create(content.state, taxonomy);
  } catch (error) {
    throw new TagsmithError(
      "invalid_input",
      `model.bin does not hold a ${content.kind} model this tagsmith can read (${error instanceof Error ? error.message : String(error)}): it was written by another version of tagsmith, or edited; retrain the model`,
      { file: modelFile },
    );
  }
  return {
    tagger: forLabelMode(tagger, content.labelMode, taxonomy),
    taxonomy,
    manifest,
    content,
    dir: source,
  };
}
