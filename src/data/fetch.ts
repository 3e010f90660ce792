// Downloading public datasets pinned by sha256: a file is written only when its bytes match the pin, so DIR never
// holds a partial or unexpected file.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { TagsmithError } from "../errors.js";
import { sha256, writeFileAtomic } from "../files/index.js";

/** One file of a dataset: fetched from `<baseUrl>/<path>` and saved as `<outDir>/<name>`. */
export interface DatasetFile {
  name: string;
  path: string;
  sha256: string;
}

export interface DatasetSource {
  name: string;
  /** Where the files are published; `--base-url` replaces it, e.g. with a local mirror. */
  baseUrl: string;
  files: readonly DatasetFile[];
}

export interface FetchOptions {
  outDir: string;
  baseUrl?: string;
  /** Per file, for the whole request including its body. */
  timeoutMs?: number;
  /** Passed in so tests and callers can replace the network; Node's built-in fetch otherwise. */
  fetch?: typeof globalThis.fetch;
}

export type FetchStatus = "downloaded" | "already present";

export interface FetchedFile {
  name: string;
  file: string;
  /** The URL fetched, or that would have been fetched for a file already present. */
  url: string;
  sha256: string;
  bytes: number;
  status: FetchStatus;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;

const MWML_COMMIT = "07389b7750ba14336fdaef89eaf1babbbee0a3d7";

/** Made With ML's projects and approved tags, pinned to the commit the shared copies come from. */
export const MWML_SOURCE: DatasetSource = {
  name: "mwml",
  baseUrl: `https://raw.githubusercontent.com/GokuMohandas/Made-With-ML/${MWML_COMMIT}/datasets`,
  files: [
    {
      name: "projects.json",
      path: "projects.json",
      sha256: "6e2db7baf8b830fcb5340df589b65b96cda9a8ea2a56a765c89ba6f7dba15b4a",
    },
    {
      name: "tags.json",
      path: "tags.json",
      sha256: "609171cd43a6466b7a2aa82bd25fc5a55755d5ba6e52e0981f81f7c73ee4e9aa",
    },
  ],
};

export const DATASET_SOURCES: Readonly<Record<string, DatasetSource>> = { mwml: MWML_SOURCE };

/** The source registered under a name; an unknown name is a usage error listing the known ones. */
export function datasetSource(name: string): DatasetSource {
  const source = Object.hasOwn(DATASET_SOURCES, name) ? DATASET_SOURCES[name] : undefined;
  if (!source) {
    throw new TagsmithError(
      "usage",
      `unknown dataset "${name}": known datasets are ${Object.keys(DATASET_SOURCES).join(", ")}`,
    );
  }
  return source;
}

function urlOf(baseUrl: string, path: string): string {
  let base: URL;
  try {
    base = new URL(baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  } catch {
    throw new TagsmithError("usage", `invalid base URL "${baseUrl}": expected http(s)://host/path`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:")
    throw new TagsmithError("usage", `invalid base URL "${baseUrl}": expected http or https`);
  return new URL(path, base).href;
}

/** The sha256 and size of the file at the destination, if there is one. */
async function existing(file: string): Promise<{ sha256: string; bytes: number } | undefined> {
  try {
    const bytes = await readFile(file);
    return { sha256: sha256(bytes), bytes: bytes.byteLength };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw unusable(error, file);
  }
}

/** A destination that cannot be read or written is the user's to fix, not a bug. */
function unusable(error: unknown, file: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    EACCES: "permission denied",
    EPERM: "permission denied",
    EROFS: "read-only file system",
    EISDIR: "is a directory",
    ENOTDIR: "a parent is not a directory",
    ENOSPC: "no space left on the device",
  };
  const reason = code ? reasons[code] : undefined;
  return reason
    ? new TagsmithError("invalid_input", `cannot use ${file}: ${reason}; choose another --out`)
    : error;
}

/** Error codes meaning the network, not the server, failed: the machine is offline or the host unreachable. */
const OFFLINE_CODES = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNREFUSED",
  "ECONNRESET",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ENETDOWN",
  "EHOSTDOWN",
  "ETIMEDOUT",
  "EPIPE",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_SOCKET",
]);

/**
 * Undici rejects with `TypeError("fetch failed")` (or "terminated" mid-body) and puts the system error in `cause`;
 * connecting to a name with several addresses gives an AggregateError there. Looks through both for a code.
 */
function networkCause(error: unknown): { code?: string; message: string } | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === "string") return { code, message: current.message || code };
    if (current instanceof AggregateError) {
      const inner = current.errors.find((e) => e instanceof Error);
      if (inner) {
        current = inner;
        continue;
      }
    }
    if (current.cause === undefined)
      return current === error ? undefined : { message: current.message };
    current = current.cause;
  }
  return undefined;
}

/** Turns a rejected fetch into a TagsmithError: offline for network failures and timeouts, fetch_failed otherwise. */
function fetchError(error: unknown, url: string, outDir: string, timeoutMs: number): unknown {
  if (error instanceof TagsmithError) return error;
  const host = new URL(url).host;
  const offline = (reason: string) =>
    new TagsmithError(
      "offline",
      `cannot reach ${host} (offline?): ${reason}; copy the files into ${outDir} by hand, or retry with a network`,
    );
  if (error instanceof Error && error.name === "TimeoutError")
    return offline(`no complete answer within ${timeoutMs} ms`);
  const cause = networkCause(error);
  const reason = (cause?.message ?? String(error)).replace(/\s+/g, " ").trim();
  if (cause?.code && OFFLINE_CODES.has(cause.code)) return offline(reason);
  // Not a plain network failure (TLS, a blocked port, a bad redirect): the server or URL is at fault.
  if (error instanceof TypeError)
    return new TagsmithError("fetch_failed", `cannot fetch ${url}: ${reason}`);
  return error;
}

async function download(
  url: string,
  fetchFn: typeof globalThis.fetch,
  timeoutMs: number,
): Promise<Uint8Array> {
  // One signal for the request and its body, so a server that stalls mid-file times out too.
  const response = await fetchFn(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new TagsmithError(
      "fetch_failed",
      `cannot fetch ${url}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`,
    );
  }
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Downloads each file of a source into `outDir`, in order. A file already there with the pinned sha256 is kept; any
 * other is downloaded and written (atomically, replacing what was there) only when its sha256 matches the pin.
 * Files written before a failure stay: each was verified on its own.
 */
export async function fetchDataset(
  source: DatasetSource,
  options: FetchOptions,
): Promise<FetchedFile[]> {
  const baseUrl = options.baseUrl ?? source.baseUrl;
  const timeoutMs = options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const fetchFn = options.fetch ?? globalThis.fetch;
  const results: FetchedFile[] = [];
  for (const entry of source.files) {
    const url = urlOf(baseUrl, entry.path);
    const file = join(options.outDir, entry.name);
    const expected = entry.sha256.toLowerCase();
    const present = await existing(file);
    if (present?.sha256 === expected) {
      results.push({ ...present, name: entry.name, file, url, status: "already present" });
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = await download(url, fetchFn, timeoutMs);
    } catch (error) {
      throw fetchError(error, url, options.outDir, timeoutMs);
    }
    const actual = sha256(bytes);
    if (actual !== expected) {
      throw new TagsmithError(
        "checksum_mismatch",
        `${entry.name} from ${url} has sha256 ${actual}, expected ${expected}: the file was not written`,
      );
    }
    await writeFileAtomic(file, bytes).catch((error: unknown) => {
      throw unusable(error, file);
    });
    results.push({
      name: entry.name,
      file,
      url,
      sha256: actual,
      bytes: bytes.byteLength,
      status: "downloaded",
    });
  }
  return results;
}
