// The content store as commands name it: --store DIR for the embedded engine, or DATABASE_URL for a PostgreSQL
// server; opened for one piece of work and closed whatever that work does.

import cluster from "node:cluster";
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import type { ReviewPolicy } from "../feedback/index.js";
import type { InputDir } from "../files/index.js";
import { type ContentStore, openStore, type StoreOptions } from "../store/index.js";

/** DATABASE_URL names a PostgreSQL server; otherwise the embedded engine keeps its data in the --store directory. */
export function storeOptions(store: string | false, review?: ReviewPolicy): StoreOptions | null {
  if (store === false) return null;
  const databaseUrl = process.env.DATABASE_URL;
  return {
    ...(databaseUrl ? { databaseUrl } : { dir: resolve(store) }),
    ...(review ? { review } : {}),
  };
}

/** The embedded store's directory as a file input of an --out check (none when DATABASE_URL names a server). */
export function storeInputs(store: string | false): InputDir[] {
  const dir = storeOptions(store)?.dir;
  return dir ? [{ dir, name: `the content store in ${dir} (--store)` }] : [];
}

/** --store for a command that works on the store another process keeps (`tagsmith serve --store`). */
export function storeOption(server: "read" | "used"): Option {
  return new Option(
    "--store <dir>",
    `directory of the embedded content store; with DATABASE_URL set, that PostgreSQL server is ${server} instead`,
  ).default("store");
}

/**
 * A --store the user gave while DATABASE_URL names a server is not used: said on stderr, so that the server's data is
 * not read (or exported) in place of the directory's without a word.
 */
export function noteUnusedStore(command: Command): void {
  // Said once: `serve --workers N` runs the command again in each worker.
  if (!cluster.isPrimary) return;
  if (process.env.DATABASE_URL && command.getOptionValueSource("store") === "cli")
    process.stderr.write(
      `tagsmith: note: --store ${command.opts().store} is not used: DATABASE_URL is set, so the PostgreSQL server it names is used instead (unset DATABASE_URL to use the directory)\n`,
    );
}

/**
 * Runs `work` on the store named by --store (or DATABASE_URL) and closes it after. With `existing`, a store that is
 * not there (a mistyped directory, an empty database) is a usage error rather than a new, empty store.
 */
export async function withStore<T>(
  dir: string,
  work: (store: ContentStore) => Promise<T>,
  { existing = false } = {},
): Promise<T> {
  const store = await openStore({ ...(storeOptions(dir) as StoreOptions), existing });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
