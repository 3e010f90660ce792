// Gives a test file fresh, empty PostgreSQL databases: on the server TAGSMITH_TEST_DATABASE_URL names (CI), or on a
// throwaway cluster started from the installed server binaries. With neither, PostgreSQL tests are skipped
// locally but fail under CI=true: CI installs PostgreSQL, so a skip there would hide a broken setup.

import { execFile, spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";

const run = promisify(execFile);
const SERVER_LIBS = "/usr/lib/postgresql";
const RUNUSER = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].find(existsSync);

type Source = { kind: "server"; adminUrl: string } | { kind: "cluster"; bin: string };

function findSource(): Source | undefined {
  const adminUrl = process.env.TAGSMITH_TEST_DATABASE_URL;
  if (adminUrl) return { kind: "server", adminUrl };
  const versions = existsSync(SERVER_LIBS)
    ? readdirSync(SERVER_LIBS).sort((a, b) => Number(b) - Number(a))
    : [];
  const bin = versions
    .map((v) => join(SERVER_LIBS, v, "bin"))
    .find((b) => ["initdb", "postgres", "pg_ctl"].every((tool) => existsSync(join(b, tool))));
  // initdb refuses to run as root: as root, the cluster runs as the postgres user.
  if (bin && (!isRoot() || postgresUser())) return { kind: "cluster", bin };
  return undefined;
}

const source = findSource();
if (!source && process.env.CI === "true")
  throw new Error(
    `no PostgreSQL under CI: set TAGSMITH_TEST_DATABASE_URL to an admin URL (.ci/run does), or install the server binaries under ${SERVER_LIBS}/<version>/bin`,
  );

/** Whether PostgreSQL tests can run here; without, they are skipped (never under CI, see above). */
export const hasPostgres = source !== undefined;

export interface TestPostgres {
  /** The file's database, created before its tests and dropped after. */
  url(): string;
  /** Another fresh database, dropped after the file's tests. */
  createDatabase(): Promise<string>;
}

/** Registers the hooks that give the calling test file its databases; call inside a describe. */
export function usePostgres(): TestPostgres {
  let cluster: Cluster | undefined;
  let admin: pg.Client | undefined;
  let adminUrl = "";
  let fileUrl = "";
  const created: string[] = [];

  const createDatabase = async (): Promise<string> => {
    if (!admin) throw new Error("usePostgres: no server yet (call from a test or a hook)");
    const name = `tagsmith_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
    await admin.query(`CREATE DATABASE ${name}`);
    created.push(name);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };

  beforeAll(async () => {
    if (!source)
      throw new Error("usePostgres: no PostgreSQL here; guard the describe with hasPostgres");
    if (source.kind === "server") adminUrl = source.adminUrl;
    else {
      cluster = await startCluster(source.bin);
      adminUrl = cluster.adminUrl;
    }
    admin = new pg.Client({ connectionString: adminUrl });
    admin.on("error", () => {});
    await admin.connect();
    fileUrl = await createDatabase();
  }, 60_000);

  afterAll(async () => {
    if (admin) {
      for (const name of created)
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.end().catch(() => {});
    }
    await cluster?.stop();
  }, 30_000);

  return { url: () => fileUrl, createDatabase };
}

interface Cluster {
  adminUrl: string;
  stop(): Promise<void>;
}

/** A cluster of this test file's own in a temp dir on a free port: fast and unsafe settings (no fsync). */
async function startCluster(bin: string): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), "tagsmith-pg-"));
  const user = isRoot() ? postgresUser() : undefined;
  if (user) await chown(dir, user.uid, user.gid);
  const data = join(dir, "data");
  const tool = (name: string, args: string[]) =>
    user
      ? run(RUNUSER as string, ["-u", "postgres", "--", join(bin, name), ...args])
      : run(join(bin, name), args);
  const stopSync = () => {
    spawnSync(
      user ? (RUNUSER as string) : join(bin, "pg_ctl"),
      [
        ...(user ? ["-u", "postgres", "--", join(bin, "pg_ctl")] : []),
        "-D",
        data,
        "-m",
        "immediate",
        "stop",
      ],
      { stdio: "ignore" },
    );
    rmSync(dir, { recursive: true, force: true });
  };
  // If the worker exits without running afterAll, the server must not outlive it.
  process.once("exit", stopSync);
  try {
    await tool("initdb", [
      "-D",
      data,
      "-U",
      "postgres",
      "-A",
      "trust",
      "-E",
      "UTF8",
      "--no-locale",
      "-N",
    ]);
    const port = await freePort();
    const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await tool("pg_ctl", [
      "-D",
      data,
      "-l",
      join(dir, "server.log"),
      "-w",
      "-t",
      "30",
      "-o",
      settings,
      "start",
    ]);
    return {
      adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
      stop: async () => {
        process.off("exit", stopSync);
        await tool("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => {});
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    process.off("exit", stopSync);
    stopSync();
    const e = error as { stderr?: string; message: string };
    throw new Error(`could not start a throwaway PostgreSQL cluster: ${e.stderr || e.message}`);
  }
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

function postgresUser(): { uid: number; gid: number } | undefined {
  const id = (flag: string) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  const uid = id("-u");
  const gid = id("-g");
  if (uid.status !== 0 || gid.status !== 0 || !RUNUSER) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** A loopback port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
