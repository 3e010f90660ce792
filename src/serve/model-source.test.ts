// The model source as the server starts it: what it refuses at start instead of waiting unready.

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TagsmithError } from "../errors.js";
import { ModelSource } from "./model-source.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tagsmith-model-source-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("ModelSource on a registry", () => {
  it("refuses at start a registry path that is a file, rather than waiting unready for ever", async () => {
    const file = join(dir, "not-a-registry");
    await writeFile(file, "{}");
    const source = new ModelSource({
      origin: { kind: "registry", dir: file },
      logger: pino({ level: "silent" }),
    });
    const error = await source.start().then(
      () => null,
      (e: unknown) => e,
    );
    await source.stop();
    expect(error).toBeInstanceOf(TagsmithError);
    expect((error as Error).message).toContain("is not a directory");
  });
});
