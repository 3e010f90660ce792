// New embedded stores for the tests, in memory or in a directory, started from one image of a new database
// (StoreOptions.newDatabaseImage): each would otherwise create its database anew, seconds of CPU apiece (initdb),
// about 100 s of the suite's time. The image is made once per run, by vitest's global setup (setup() below), and
// read once per test file. Stores the CLI and the service create in their own processes are created as a user's
// are, image-less.

import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { inject } from "vitest";
import type { TestProject } from "vitest/node";
import type { StoreOptions } from "../../src/store/index.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The file holding the image of a new database. */
    newDatabaseImage: string;
  }
}

/** Vitest's global setup: makes the image, and removes it when the run ends. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "tagsmith-test-image-"));
  const db = await PGlite.create();
  const image = await db.dumpDataDir("none");
  await db.close();
  const file = join(dir, "new-database.tar");
  await writeFile(file, new Uint8Array(await image.arrayBuffer()));
  project.provide("newDatabaseImage", file);
  return () => rm(dir, { recursive: true, force: true });
}

let image: Blob | undefined;

/** Options for an embedded store, in memory unless `dir` is given, created from the image if new. */
export function embeddedStore(options: Omit<StoreOptions, "databaseUrl"> = {}): StoreOptions {
  if (!image) {
    const file = inject("newDatabaseImage");
    if (!file)
      throw new Error("no database image: run this file in vitest.config.ts's integration project");
    image = new Blob([readFileSync(file)]);
  }
  return { ...options, newDatabaseImage: image };
}
