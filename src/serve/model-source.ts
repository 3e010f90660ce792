// Where the served model comes from, and how it changes: one model directory, or a registry's production model,
// followed as it is promoted or rolled back.
//
// A switch is one assignment of an immutable ServedModel: a request reads `current` once and answers with that model
// even if another is loaded meanwhile. A model is warmed up and its answers checked before it is installed
// (model/warm-up.ts); one that fails to load or to answer is logged and the one being served stays, and it is tried
// again once its files change (mended as the error says) or after a minute.

import { type FSWatcher, watch } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import {
  loadModel,
  MANIFEST_FILE,
  MODEL_FILE,
  versionsOf,
  type WarmUp,
  warmUp,
} from "../model/index.js";
import { ModelRegistry, REGISTRY_FILE } from "../registry/index.js";
import { type ServedModel, servedModel } from "./served-model.js";

export type ModelOrigin = { kind: "directory"; dir: string } | { kind: "registry"; dir: string };

export interface ModelSourceOptions {
  origin: ModelOrigin;
  logger: Logger;
  /** How often the registry is read when no change was seen (fs.watch misses changes on some file systems). */
  pollMs?: number;
  /** Called after every switch (metrics). */
  onSwitch?: (model: ServedModel, previous: ServedModel | null) => void;
  onLoadFailure?: (id: string, error: unknown) => void;
  /** How long a production model that failed to load waits to be tried again when its files have not changed. */
  retryFailedMs?: number;
}

export const DEFAULT_POLL_MS = 5_000;
export const DEFAULT_RETRY_FAILED_MS = 60_000;

/** The production version that failed to load, and when it last did (ISO time). */
export interface LoadFailure {
  id: string;
  at: string;
}

/**
 * What a version's directory holds, as far as loading it goes: model.bin's and manifest.json's inode, size and
 * times. A file replaced, rewritten or touched (as mending a damaged version does) changes it; one missing counts.
 */
async function filesFingerprint(dir: string): Promise<string> {
  const one = (name: string) =>
    stat(join(dir, name)).then(
      (s) => `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`,
      (error: NodeJS.ErrnoException) => error.code ?? "unreadable",
    );
  return (await Promise.all([one(MODEL_FILE), one(MANIFEST_FILE)])).join(" ");
}

export class ModelSource {
  private model: ServedModel | null = null;
  private readonly registry: ModelRegistry | undefined;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private debounce: NodeJS.Timeout | undefined;
  /** The check running now, if any: checks never overlap. */
  private checking: Promise<void> | undefined;
  private again = false;
  /**
   * The production version that failed to load: tried again when the pointer moves, its files change, or
   * retryFailedMs has passed (something else it needs may have been mended), never on every poll.
   */
  private failed: { id: string; files: string; atMs: number } | undefined;
  private stopped = false;
  private waitingLogged = false;

  constructor(private readonly options: ModelSourceOptions) {
    if (options.origin.kind === "registry") this.registry = new ModelRegistry(options.origin.dir);
  }

  /** The model answering requests now; null until one is loaded. */
  get current(): ServedModel | null {
    return this.model;
  }

  /** The registry's production version when it failed to load and is not the one served; else null. */
  get productionFailure(): LoadFailure | null {
    if (!this.failed) return null;
    const { id, atMs } = this.failed;
    return { id, at: new Date(atMs).toISOString() };
  }

  /**
   * Loads the model. A directory that cannot be loaded is an error (there is nothing to serve); a registry without
   * a production model is not: the service starts unready and serves once one is promoted.
   */
  async start(): Promise<void> {
    const { origin } = this.options;
    if (origin.kind === "directory") {
      const started = performance.now();
      const loaded = await loadModel(origin.dir, {
        option: "--model",
        // Serving a registry's production model, and following its promotions, is what was most likely meant.
        ifRegistry: (dir) =>
          `to serve its production model (and follow promotions), give it as --registry ${dir}; or ${versionsOf(dir)}`,
      });
      this.install(servedModel(loaded, origin.dir), started, await warmUp(loaded));
      return;
    }
    // A registry path that is a file is refused at start, as the CLI refuses it: waiting would never make it one.
    await this.registry?.checkPath();
    await this.check();
    this.watch();
  }

  /** Reads the production pointer now; loads and switches to the model it names if that is a new one. */
  check(): Promise<void> {
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.again = false;
        await this.checkOnce();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    if (!this.registry || this.stopped) return;
    const { logger } = this.options;
    let production: { id: string; dir: string } | null;
    try {
      production = await this.registry.production();
    } catch (error) {
      logger.error({ err: error, registry: this.registry.dir }, "cannot read the registry");
      return;
    }
    if (!production) {
      this.failed = undefined;
      if (!this.model && !this.waitingLogged)
        logger.warn(
          { registry: this.registry.dir },
          "no production model in the registry yet: not ready until one is promoted",
        );
      this.waitingLogged = true;
      return;
    }
    if (production.id === this.model?.ref.id) {
      // Production rolled back to the model served: the failure is history.
      this.failed = undefined;
      return;
    }
    // Taken before loading: files changed during the load make the next check try again, not skip.
    const files = await filesFingerprint(production.dir);
    const failed = this.failed?.id === production.id ? this.failed : undefined;
    if (failed) {
      const filesChanged = failed.files !== files;
      const retryMs = this.options.retryFailedMs ?? DEFAULT_RETRY_FAILED_MS;
      if (!filesChanged && Date.now() - failed.atMs < retryMs) return;
      logger.info(
        {
          model: production.id,
          reason: filesChanged ? "its files changed" : `unchanged, but ${retryMs / 1000} s passed`,
        },
        "trying again the production model that failed to load",
      );
    }
    const started = performance.now();
    try {
      const loaded = await loadModel(production.dir);
      if (this.stopped) return;
      const warmed = await warmUp(loaded, { stopped: () => this.stopped });
      if (this.stopped) return;
      this.failed = undefined;
      this.install(servedModel(loaded, production.dir), started, warmed);
    } catch (error) {
      // Shutting down: the model will not be served either way, so it is no failure to count.
      if (this.stopped) return;
      this.failed = {
        id: production.id,
        atMs: Date.now(),
        files,
      };
      this.options.onLoadFailure?.(production.id, error);
      logger.error(
        { err: error, model: production.id, serving: this.model?.ref ?? null },
        "the production model failed to load: the current model stays",
      );
    }
  }

  private install(model: ServedModel, started: number, warmed: WarmUp): void {
    const previous = this.model;
    this.model = model;
    this.options.onSwitch?.(model, previous);
    this.options.logger.info(
      {
        model: model.ref,
        kind: model.manifest.kind,
        dir: model.dir,
        ms: Math.round(performance.now() - started),
        warmUpMs: Math.round(warmed.ms),
        ...(previous ? { previous: previous.ref } : {}),
      },
      previous ? "switched model" : "model loaded",
    );
  }

  /** fs.watch on the registry directory (registry.json is replaced by rename, so its inode changes) plus polling. */
  private watch(): void {
    const dir = this.options.origin.dir;
    const soon = () => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.check(), 20);
      this.debounce.unref();
    };
    try {
      this.watcher = watch(dir, { persistent: false }, (_event, file) => {
        if (file === null || file === REGISTRY_FILE) soon();
      });
      this.watcher.on("error", (error) => {
        this.options.logger.warn(
          { err: error, registry: dir },
          "watching the registry failed: polling",
        );
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch (error) {
      this.options.logger.warn(
        { err: error, registry: dir },
        "cannot watch the registry directory: polling only",
      );
    }
    this.timer = setInterval(() => void this.check(), this.options.pollMs ?? DEFAULT_POLL_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    clearInterval(this.timer);
    clearTimeout(this.debounce);
    await this.checking;
  }
}
