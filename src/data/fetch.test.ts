import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TagsmithError } from "../errors.js";
import { type DatasetSource, datasetSource, fetchDataset, MWML_SOURCE } from "./fetch.js";

const GOOD = Buffer.from('[{"tag": "pytorch", "aliases": [], "parents": []}]\n');
const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Serves `/good.json` with GOOD, `/bad.json` with other bytes, anything else 404; counts requests. */
function fileServer(): Promise<{ server: Server; baseUrl: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url === "/good.json") res.end(GOOD);
    else if (req.url === "/bad.json") res.end("not the pinned bytes");
    else res.writeHead(404).end("not found");
  });
  return listen(server).then((baseUrl) => ({ server, baseUrl, requests }));
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

const source = (...paths: string[]): DatasetSource => ({
  name: "test",
  baseUrl: "http://127.0.0.1:9/unused",
  files: paths.map((path) => ({ name: path, path, sha256: sha256(GOOD) })),
});

async function rejection(promise: Promise<unknown>): Promise<TagsmithError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TagsmithError);
  return error as TagsmithError;
}

describe("fetchDataset", () => {
  let dir: string;
  let served: Awaited<ReturnType<typeof fileServer>>;

  beforeAll(async () => {
    served = await fileServer();
  });
  afterAll(() => close(served.server));
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "tagsmith-fetch-"));
    served.requests.length = 0;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("downloads a file whose sha256 matches the pin and writes it under its name", async () => {
    const files = await fetchDataset(source("good.json"), { outDir: dir, baseUrl: served.baseUrl });
    expect(files).toEqual([
      {
        name: "good.json",
        file: join(dir, "good.json"),
        url: `${served.baseUrl}/good.json`,
        sha256: sha256(GOOD),
        bytes: GOOD.byteLength,
        status: "downloaded",
      },
    ]);
    expect(await readFile(join(dir, "good.json"))).toEqual(GOOD);
    expect(await readdir(dir)).toEqual(["good.json"]);
  });

  it("fetches each file's path below the base URL's path, with or without a trailing slash", async () => {
    const urls: string[] = [];
    const recording: typeof fetch = async (url) => {
      urls.push(String(url));
      return new Response(GOOD);
    };
    for (const baseUrl of ["http://mirror.test/data/mwml", "http://mirror.test/data/mwml/"]) {
      await fetchDataset(source("good.json"), { outDir: dir, baseUrl, fetch: recording });
      await rm(join(dir, "good.json"));
    }
    expect(urls).toEqual([
      "http://mirror.test/data/mwml/good.json",
      "http://mirror.test/data/mwml/good.json",
    ]);
  });

  it("refuses a file whose bytes differ: checksum_mismatch, nothing at the destination, no temporary file", async () => {
    const error = await rejection(
      fetchDataset(source("bad.json"), { outDir: dir, baseUrl: served.baseUrl }),
    );
    expect(error.code).toBe("checksum_mismatch");
    expect(error.message).toContain("bad.json");
    expect(error.message).toContain(sha256(GOOD));
    expect(error.message).toContain(sha256(Buffer.from("not the pinned bytes")));
    expect(error.message).toContain("not written");
    expect(existsSync(join(dir, "bad.json"))).toBe(false);
    expect(await readdir(dir)).toEqual([]);
  });

  it("leaves a file already at the destination untouched when the download does not match", async () => {
    await writeFile(join(dir, "bad.json"), "old content");
    const error = await rejection(
      fetchDataset(source("bad.json"), { outDir: dir, baseUrl: served.baseUrl }),
    );
    expect(error.code).toBe("checksum_mismatch");
    expect(await readFile(join(dir, "bad.json"), "utf8")).toBe("old content");
    expect(await readdir(dir)).toEqual(["bad.json"]);
  });

  it("reports an HTTP error status as fetch_failed, naming the URL and status", async () => {
    const error = await rejection(
      fetchDataset(source("missing.json"), { outDir: dir, baseUrl: served.baseUrl }),
    );
    expect(error.code).toBe("fetch_failed");
    expect(error.message).toContain(`${served.baseUrl}/missing.json`);
    expect(error.message).toContain("404");
    expect(await readdir(dir)).toEqual([]);
  });

  it("skips files already present with the pinned sha256, without asking the server", async () => {
    const first = await fetchDataset(source("good.json"), { outDir: dir, baseUrl: served.baseUrl });
    expect(first.map((f) => f.status)).toEqual(["downloaded"]);
    expect(served.requests).toEqual(["/good.json"]);

    const second = await fetchDataset(source("good.json"), {
      outDir: dir,
      baseUrl: served.baseUrl,
    });
    expect(second.map((f) => f.status)).toEqual(["already present"]);
    expect(second[0]?.sha256).toBe(sha256(GOOD));
    expect(served.requests).toEqual(["/good.json"]);
  });

  it("replaces a file at the destination whose sha256 differs with the verified download", async () => {
    await writeFile(join(dir, "good.json"), "stale");
    const [file] = await fetchDataset(source("good.json"), {
      outDir: dir,
      baseUrl: served.baseUrl,
    });
    expect(file?.status).toBe("downloaded");
    expect(await readFile(join(dir, "good.json"))).toEqual(GOOD);
  });

  it("keeps files verified before a later one fails", async () => {
    const error = await rejection(
      fetchDataset(source("good.json", "bad.json"), { outDir: dir, baseUrl: served.baseUrl }),
    );
    expect(error.code).toBe("checksum_mismatch");
    expect(await readdir(dir)).toEqual(["good.json"]);
  });

  it("creates the output directory", async () => {
    const out = join(dir, "a", "b");
    await fetchDataset(source("good.json"), { outDir: out, baseUrl: served.baseUrl });
    expect(await readFile(join(out, "good.json"))).toEqual(GOOD);
  });

  it("reports a server that is down as offline, in one line saying what to do", async () => {
    const down = createServer();
    const baseUrl = await listen(down);
    await close(down);
    const error = await rejection(fetchDataset(source("good.json"), { outDir: dir, baseUrl }));
    expect(error.code).toBe("offline");
    expect(error.message).toMatch(/^cannot reach 127\.0\.0\.1:\d+ \(offline\?\): .*ECONNREFUSED/);
    expect(error.message).toContain(`copy the files into ${dir} by hand`);
    expect(error.message).not.toContain("\n");
    expect(await readdir(dir)).toEqual([]);
  });

  it("reports a server that accepts and never answers as offline after the timeout", async () => {
    const silent = createServer(() => {});
    const baseUrl = await listen(silent);
    try {
      const started = Date.now();
      const error = await rejection(
        fetchDataset(source("good.json"), { outDir: dir, baseUrl, timeoutMs: 200 }),
      );
      expect(error.code).toBe("offline");
      expect(error.message).toContain("within 200 ms");
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await close(silent);
    }
  });

  it("times out a body that stalls halfway, writing nothing", async () => {
    const stalling = createServer((_req, res) => {
      res.writeHead(200, { "content-length": String(GOOD.byteLength) });
      res.write(GOOD.subarray(0, 5));
    });
    const baseUrl = await listen(stalling);
    try {
      const error = await rejection(
        fetchDataset(source("good.json"), { outDir: dir, baseUrl, timeoutMs: 200 }),
      );
      expect(error.code).toBe("offline");
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await close(stalling);
    }
  });

  it("treats a DNS failure from the injected fetch as offline, naming the host", async () => {
    const dnsFailure: typeof fetch = async () => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("getaddrinfo ENOTFOUND raw.githubusercontent.com"), {
          code: "ENOTFOUND",
        }),
      });
    };
    const error = await rejection(fetchDataset(MWML_SOURCE, { outDir: dir, fetch: dnsFailure }));
    expect(error.code).toBe("offline");
    expect(error.message).toBe(
      `cannot reach raw.githubusercontent.com (offline?): getaddrinfo ENOTFOUND raw.githubusercontent.com; copy the files into ${dir} by hand, or retry with a network`,
    );
  });

  it("rejects a base URL that is not http(s) as a usage error", async () => {
    for (const baseUrl of ["not a url", "ftp://example.org/data"]) {
      const error = await rejection(fetchDataset(source("good.json"), { outDir: dir, baseUrl }));
      expect(error.code).toBe("usage");
    }
  });
});

describe("MWML_SOURCE", () => {
  it("pins projects.json and tags.json at one commit of Made With ML", () => {
    expect(MWML_SOURCE.baseUrl).toBe(
      "https://raw.githubusercontent.com/GokuMohandas/Made-With-ML/07389b7750ba14336fdaef89eaf1babbbee0a3d7/datasets",
    );
    expect(MWML_SOURCE.files).toEqual([
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
    ]);
  });

  it("is found by name; an unknown name lists the known ones", () => {
    expect(datasetSource("mwml")).toBe(MWML_SOURCE);
    expect(() => datasetSource("foo")).toThrow(/unknown dataset "foo": known datasets are mwml/);
    expect(() => datasetSource("toString")).toThrow(/unknown dataset/);
  });
});
