// The model registry: a directory of immutable model versions (versions/<id>/, kept by versions.ts), registry.json
// with their stages, history, the production pointer and the gold set, and a lock file serialising every change to
// registry.json. Stage changes are pure functions (stages.ts); the promotion gate compares models in gate-run.ts.
//
// Crash safety: a version is assembled in .staging/ and renamed into versions/, so it is complete or absent;
// registry.json is replaced by rename, and names a version only once its directory is in place. A process killed at
// any point leaves the production pointer on a complete version (and at worst a stale lock, broken by the next one).

import { constants, existsSync, realpathSync } from "node:fs";
import { access, readFile, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { TagsmithError } from "../errors.js";
import {
  creatingFor,
  describeIssues,
  makeDirectory,
  NotWritableError,
  notWritableReason,
  UNWRITABLE,
  writeFileAtomic,
} from "../files/index.js";
import { type LoadedModel, loadModel, MANIFEST_FILE, MODEL_FILE } from "../model/index.js";
import { byCodeUnit } from "../text/index.js";
import { renderModelCard } from "./card.js";
import { distinctGoldFiles, gateRefusal, loadGoldFiles, runGate } from "./gate-run.js";
import { withLock } from "./lock.js";
import {
  CARD_FILE,
  type DamagedVersion,
  EMPTY_STATE,
  type GateRecord,
  goldFiles,
  LOCK_FILE,
  type ModelVersion,
  REGISTRY_FILE,
  type RegistryState,
  RegistryStateSchema,
  STAGING_DIR,
  VERSIONS_DIR,
  type VersionListing,
} from "./schema.js";
import {
  lastGateOf,
  rollbackTarget,
  versionRecord,
  withGateVerdict,
  withPromoted,
  withRegistered,
  withRolledBack,
} from "./stages.js";
import { errno, VersionStore } from "./versions.js";

/** A version's id: its content. The same model.bin registered twice is the same version. */
export function versionId(modelSha256: string): string {
  return `m-${modelSha256.slice(0, 12)}`;
}

/**
 * Which model answered, as the API and `tagsmith suggest --json` name it: its version id (the same served from a
 * registry or a directory) and when it was trained.
 */
export function modelRef(manifest: {
  modelSha256: string;
  createdAt?: string;
  registry?: { registeredAt?: string };
}): {
  id: string;
  version: string;
} {
  return {
    id: versionId(manifest.modelSha256),
    version: manifest.createdAt ?? manifest.registry?.registeredAt ?? "unknown",
  };
}

export interface PromoteOptions {
  /** Gold data for the gate, several files concatenated; default: the registry's gold set. */
  gold?: string | readonly string[];
  /** Promote even when the gate refuses (recorded in the history). */
  force?: boolean;
  /** Runs holding the lock, just before the pointer switches (tests kill a promote here). */
  beforeSwitch?: () => Promise<void>;
}

export interface PromoteResult {
  id: string;
  previous: string | null;
  gate: GateRecord | null;
  forced: boolean;
  /** The version already was in production: nothing changed. */
  unchanged: boolean;
  /** Why a forced promotion was not compared with production (it could not be loaded); recorded in the history. */
  gateSkipped?: string;
  /** What went wrong after the switch, which did not undo it (a model card that could not be rewritten). */
  warnings: string[];
}

export class ModelRegistry {
  readonly dir: string;
  private readonly now: () => Date;
  /** The version directories: versions/<id>/, assembled in .staging/. */
  private readonly versions: VersionStore;

  constructor(dir: string, options: { now?: () => Date } = {}) {
    this.dir = resolve(dir);
    this.now = options.now ?? (() => new Date());
    this.versions = new VersionStore(this.dir, (run) => this.writing(run));
  }

  versionDir(id: string): string {
    return this.versions.dir(id);
  }

  /**
   * The production version's id and directory (a complete one: registry.json names only versions whose directory was
   * renamed into place whole), or null when nothing is in production. One small read, for a service that polls.
   */
  async production(): Promise<{ id: string; dir: string } | null> {
    const state = await this.readState();
    if (!state.production) return null;
    return { id: state.production, dir: this.versionDir(state.production) };
  }

  private get stateFile(): string {
    return join(this.dir, REGISTRY_FILE);
  }

  /**
   * Refuses a registry path that is a file, or lies under one: a mistyped path, not an empty registry (which would
   * list nothing and serve nothing, unready for ever). An absent directory is fine: it is an empty registry.
   */
  async checkPath(): Promise<void> {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(this.dir)).isDirectory();
    } catch (error) {
      if (errno(error) === "ENOENT") return;
      if (errno(error) !== "ENOTDIR") throw error;
      isDirectory = false;
    }
    if (!isDirectory)
      throw new TagsmithError(
        "invalid_input",
        `registry ${this.dir} is not a directory (it, or a part of its path, is a file): give the registry's directory with --registry DIR or TAGSMITH_REGISTRY`,
      );
    // A model directory (train --out) given as the registry would read as an empty one: "no models registered".
    if (
      !existsSync(this.stateFile) &&
      existsSync(join(this.dir, MODEL_FILE)) &&
      existsSync(join(this.dir, MANIFEST_FILE))
    )
      throw new TagsmithError(
        "invalid_input",
        `registry ${this.dir} is a model directory (tagsmith train --out writes those), not a registry: register it with tagsmith models register ${this.dir} --registry DIR, and give that DIR`,
      );
  }

  /** registry.json; an absent registry is an empty one. */
  async readState(): Promise<RegistryState> {
    let text: string;
    try {
      text = await readFile(this.stateFile, "utf8");
    } catch (error) {
      if (errno(error) === "ENOENT" || errno(error) === "ENOTDIR") {
        await this.checkPath();
        return structuredClone(EMPTY_STATE);
      }
      throw error;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new TagsmithError("invalid_input", "registry.json is not valid JSON", {
        file: this.stateFile,
      });
    }
    const parsed = RegistryStateSchema.safeParse(value);
    if (!parsed.success)
      throw new TagsmithError(
        "invalid_input",
        `not a tagsmith registry file: ${describeIssues(parsed.error)}`,
        { file: this.stateFile },
      );
    const { production } = parsed.data;
    if (production !== null && !Object.hasOwn(parsed.data.versions, production))
      throw new TagsmithError(
        "invalid_input",
        `registry.json names ${production} as production, but no such version is registered (the file was edited or restored from another registry): restore it, or set production to one of: ${Object.keys(parsed.data.versions).join(", ") || "(none)"}`,
        { file: this.stateFile },
      );
    return parsed.data;
  }

  private async writeState(state: RegistryState): Promise<void> {
    await this.writing(() =>
      writeFileAtomic(this.stateFile, `${JSON.stringify(state, null, 2)}\n`),
    );
  }

  /** Turns "cannot write here" into one clear line; other errors pass through. */
  private async writing<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      const code = errno(error);
      if (code && (error instanceof NotWritableError || Object.hasOwn(UNWRITABLE, code)))
        throw new TagsmithError(
          "not_writable",
          `registry directory ${this.dir} is not writable (${code}: ${notWritableReason(code)}): choose another with --registry DIR or TAGSMITH_REGISTRY`,
        );
      throw error;
    }
  }

  /** Creates the registry's directories, or says clearly why it cannot, before any work is done. */
  async ensureWritable(): Promise<void> {
    await this.writing(async () => {
      // creatingFor: a file in the way, or a directory that takes no new entries (/proc), as a NotWritableError
      for (const dir of [VERSIONS_DIR, STAGING_DIR])
        await creatingFor(this.dir, () => makeDirectory(join(this.dir, dir)));
      await access(this.dir, constants.W_OK);
    });
  }

  private lock<T>(
    operation: "register" | "promote" | "rollback" | "config",
    run: () => Promise<T>,
  ): Promise<T> {
    // Registers and config changes hold the lock for a moment: others wait for them. A promote or rollback can
    // take as long as scoring the gold data: a second one fails at once rather than queue behind it.
    const brief = (op: string) => op === "register" || op === "config";
    return withLock(
      join(this.dir, LOCK_FILE),
      {
        operation,
        what: `registry ${this.dir}`,
        waitFor: (holder) => brief(holder.operation) || brief(operation),
        timeoutMs: brief(operation) ? 60_000 : 10_000,
      },
      run,
    );
  }

  /** An id, or an unambiguous prefix of one, of a registered version. */
  resolveId(state: RegistryState, ref: string): string {
    if (versionRecord(state, ref)) return ref;
    // "" is a prefix of every id: it would pick a registry's only version without naming it.
    if (ref.trim() === "")
      throw new TagsmithError(
        "usage",
        "the version id is empty: give one, or an unambiguous prefix (tagsmith models list shows them)",
      );
    const matches = Object.keys(state.versions).filter((id) => id.startsWith(ref));
    if (matches.length === 1) return matches[0] as string;
    if (matches.length > 1)
      throw new TagsmithError(
        "usage",
        `"${ref}" matches ${matches.length} versions (${matches.join(", ")}): give more of the id`,
      );
    throw new TagsmithError(
      "not_found",
      `unknown model version "${ref}" in registry ${this.dir}: see the ids with tagsmith models list`,
    );
  }

  private async view(state: RegistryState, id: string): Promise<ModelVersion> {
    const record = versionRecord(state, id);
    if (!record) throw new Error(`version ${id} is not in registry.json`);
    return {
      id,
      dir: this.versionDir(id),
      manifest: await this.versions.readManifest(id),
      stage: record.stage,
      history: record.history,
      lastGate: lastGateOf(record),
    };
  }

  async get(ref: string): Promise<ModelVersion> {
    const state = await this.readState();
    return this.view(state, this.resolveId(state, ref));
  }

  /**
   * Every version, newest first. A version whose manifest is missing or damaged is listed apart with its problem:
   * one bad directory must not hide the others from the person who has to find and mend it.
   */
  async list(): Promise<VersionListing> {
    const state = await this.readState();
    const versions: ModelVersion[] = [];
    const damaged: DamagedVersion[] = [];
    await Promise.all(
      Object.entries(state.versions).map(async ([id, record]) => {
        try {
          versions.push(await this.view(state, id));
        } catch (error) {
          if (!(error instanceof TagsmithError)) throw error;
          damaged.push({ id, stage: record.stage, problem: error.message });
        }
      }),
    );
    const created = (v: ModelVersion) => v.manifest.createdAt ?? v.manifest.registry.registeredAt;
    versions.sort((a, b) => byCodeUnit(created(b), created(a)) || byCodeUnit(a.id, b.id));
    damaged.sort((a, b) => byCodeUnit(a.id, b.id));
    return { versions, damaged };
  }

  /** Checks model.bin against its manifest's checksum: a damaged version is never promoted or rolled back to. */
  verify(version: Pick<ModelVersion, "id" | "dir" | "manifest">): Promise<void> {
    return this.versions.verify(version);
  }

  /** The model card of a version as the registry stands now. */
  async card(ref: string): Promise<string> {
    const version = await this.get(ref);
    return renderModelCard({ version, heldOut: await this.versions.heldOut(version.id) });
  }

  /**
   * Rewrites the model cards of versions whose stage changed. Called once the change is written: a card is derived
   * from the registry (`card` renders it afresh), so one that cannot be rewritten (a version directory made
   * read-only) is a warning to return, not a failure of a promotion or rollback that has already happened.
   */
  private async writeCards(state: RegistryState, ids: (string | null)[]): Promise<string[]> {
    const warnings: string[] = [];
    for (const id of ids) {
      if (!id || !versionRecord(state, id)) continue;
      const file = join(this.versionDir(id), CARD_FILE);
      try {
        const version = await this.view(state, id);
        await writeFileAtomic(
          file,
          renderModelCard({ version, heldOut: await this.versions.heldOut(id) }),
        );
      } catch (error) {
        const code = errno(error);
        if (!code && !(error instanceof TagsmithError)) throw error;
        const why = code ? `${code}: ${notWritableReason(code)}` : (error as Error).message;
        warnings.push(
          `the model card ${file} was not updated (${why}); tagsmith models card ${id} shows it as it stands`,
        );
      }
    }
    return warnings;
  }

  /**
   * Copies a model directory (as `tagsmith train --out` writes it) into the registry as a candidate. Registering
   * the same model.bin again returns the existing version unchanged, or, when that version's copy is damaged,
   * replaces the copy (`repaired` says what was wrong with it); its stage and history stay. `otherData`: the version
   * was there already, registered from other data (a rules model's bytes depend on its taxonomy alone): its manifest,
   * which the registry keeps, names that data, not this directory's.
   */
  async register(modelDir: string): Promise<{
    version: ModelVersion;
    created: boolean;
    repaired?: string;
    otherData?: { files: string[]; fingerprint: string };
  }> {
    await this.ensureWritable();
    const source = resolve(modelDir);
    const model = await loadModel(source);
    const id = versionId(model.manifest.modelSha256);
    const at = this.now().toISOString();
    const sha = model.manifest.modelSha256;
    const before = await this.versions.health(id, sha, source);
    let created = false;
    let repaired: string | undefined;
    if (before.absent) {
      created = await this.versions.stage(source, id, model, at, (staging) =>
        this.versions.moveIn(staging, id),
      );
    } else if (before.damaged) {
      // A damaged version (the advice of every "is damaged" message is to register the model again): its copy is
      // replaced under the lock, keeping the time it was first registered, which registry.json's history holds.
      const registeredAt = versionRecord(await this.readState(), id)?.registeredAt ?? at;
      const replaced = await this.versions.stage(source, id, model, registeredAt, (staging) =>
        this.lock("register", async () => {
          if (!(await this.versions.health(id, sha, source)).damaged) return false;
          await this.versions.replaceDamaged(staging, id);
          return true;
        }),
      );
      if (replaced) repaired = before.damaged;
    }
    const state = await this.lock("register", async () => {
      const current = await this.readState();
      // The time the version directory was written, whichever process wrote it.
      const registeredAt = (await this.versions.readManifest(id)).registry.registeredAt;
      const next = withRegistered(current, id, registeredAt);
      if (next !== current) await this.writeState(next);
      return next;
    });
    const version = await this.view(state, id);
    const kept = version.manifest.data;
    const otherData = !created && kept.fingerprint !== model.manifest.data.fingerprint;
    return {
      version,
      created,
      ...(repaired === undefined ? {} : { repaired }),
      ...(otherData ? { otherData: { files: kept.files, fingerprint: kept.fingerprint } } : {}),
    };
  }

  /**
   * Makes a version the production model, through the gate: with gold data, the candidate and the current
   * production model are scored on it and a candidate worse on a primary metric is refused unless forced.
   */
  async promote(ref: string, options: PromoteOptions = {}): Promise<PromoteResult> {
    const given = typeof options.gold === "string" ? [options.gold] : (options.gold ?? []);
    // A file given twice and an unknown id are reported before anything is created or locked.
    const givenGold = await distinctGoldFiles(given);
    this.resolveId(await this.readState(), ref);
    await this.ensureWritable();
    const force = Boolean(options.force);
    return this.lock("promote", async () => {
      const state = await this.readState();
      const id = this.resolveId(state, ref);
      const previous = state.production;
      if (previous === id)
        return { id, previous, gate: null, forced: force, unchanged: true, warnings: [] };
      const candidate = await this.versions.load(id);
      let champion: LoadedModel | null = null;
      let gateSkipped: string | undefined;
      if (previous) {
        try {
          champion = await this.versions.load(previous);
        } catch (error) {
          if (!(error instanceof TagsmithError)) throw error;
          if (!force)
            throw new TagsmithError(
              error.code,
              `${error.message}. The gate cannot score the production model: restore it, or promote with --force`,
            );
          // Forced past a production model that cannot be loaded: promoted as if there were none, and said so.
          gateSkipped = `production ${previous} could not be loaded (${error.message})`;
        }
      }
      const gold = givenGold.length > 0 ? givenGold : goldFiles(state.gold);
      let gate: GateRecord | null = null;
      if (gold.length > 0) {
        gate = await runGate(
          gold,
          candidate,
          previous && champion ? { id: previous, model: champion } : null,
        );
        const refusal = force ? null : gateRefusal(id, gate);
        if (refusal) {
          // No stage changes, so no history entry holds the verdict: recorded on the version, so that the console
          // and models show say why it is still a candidate.
          const refused = withGateVerdict(state, id, this.now().toISOString(), gate, false);
          await this.writeState(refused);
          // Its card says so too. One that cannot be rewritten is left: `models card` renders the verdict afresh,
          // and the refusal is what the caller is told.
          await this.writeCards(refused, [id]);
          throw refusal;
        }
      } else if (champion && !force) {
        throw new TagsmithError(
          "usage",
          `no gold data to compare ${id} with production ${previous}: pass --gold FILE, or set the registry's gold set with tagsmith models config --gold FILE`,
        );
      }
      await options.beforeSwitch?.();
      const at = this.now().toISOString();
      const promoted = withPromoted(state, id, { at, forced: force, gate, gateSkipped });
      const next = withGateVerdict(promoted, id, at, gateSkipped ? null : gate, force);
      await this.writeState(next);
      return {
        id,
        previous,
        gate,
        forced: force,
        unchanged: false,
        ...(gateSkipped ? { gateSkipped } : {}),
        warnings: await this.writeCards(next, [id, previous]),
      };
    });
  }

  /** Puts the previous production version back; the current one is archived. */
  async rollback(): Promise<{ from: string; to: string; warnings: string[] }> {
    // A registry with nothing in production (or no registry) is said so before anything is created or locked. The
    // rest is checked under the lock, so a rollback during a promote hears of that promote, not of the state it is
    // changing ("nothing was in production before" the first while a second is being promoted).
    const before = await this.readState();
    const where = `registry ${this.dir}`;
    if (!before.production) rollbackTarget(before, where);
    // A registry that cannot be written (mounted read-only) with nothing earlier to go back to: that is the reason.
    await this.ensureWritable().catch((error: unknown) => {
      rollbackTarget(before, where);
      throw error;
    });
    return this.lock("rollback", async () => {
      const state = await this.readState();
      const { state: next, from, to } = withRolledBack(state, this.now().toISOString(), where);
      await this.versions.load(to);
      await this.writeState(next);
      return { from, to, warnings: await this.writeCards(next, [to, from]) };
    });
  }

  /** Sets (or with null clears) the gold data the promotion gate scores on: one file or several, concatenated. */
  async setGold(files: string | readonly string[] | null): Promise<RegistryState> {
    const list = files === null ? [] : typeof files === "string" ? [files] : [...files];
    const resolved = await distinctGoldFiles(list);
    await loadGoldFiles(resolved);
    // One file stays a string, the form every registry.json had before several were possible.
    const gold =
      resolved.length === 0 ? null : resolved.length === 1 ? (resolved[0] as string) : resolved;
    await this.ensureWritable();
    return this.lock("config", async () => {
      const next = { ...(await this.readState()), gold };
      await this.writeState(next);
      return next;
    });
  }
}

/**
 * The registry a model directory is a version of (DIR/versions/ID beside DIR/registry.json), or null; by real path,
 * so a link to a version finds its registry too.
 */
export function registryOfVersion(modelDir: string): string | null {
  let real: string;
  try {
    real = realpathSync(modelDir);
  } catch {
    return null;
  }
  const versions = dirname(real);
  const dir = dirname(versions);
  return basename(versions) === VERSIONS_DIR && existsSync(join(dir, REGISTRY_FILE)) ? dir : null;
}

/**
 * The registry a path lies in (a version, a directory beside the versions, or one to be created there), or null; by
 * the real path of its nearest existing ancestor, so a link into a registry finds it too. Only the registry writes
 * there: versions are immutable copies, and a model trained into one would replace it.
 */
export function registryHolding(path: string): string | null {
  let dir = resolve(path);
  let real: string | null = null;
  for (; real === null; dir = dirname(dir)) {
    try {
      real = realpathSync(dir);
    } catch {
      if (dirname(dir) === dir) return null;
    }
  }
  for (let at = real; ; at = dirname(at)) {
    // Both, so a registry.json of something else up the tree is not taken for one.
    if (existsSync(join(at, REGISTRY_FILE)) && existsSync(join(at, VERSIONS_DIR))) return at;
    if (dirname(at) === at) return null;
  }
}
