// Loading a taxonomy file: what a wrong or broken file is told.

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_CONTENT } from "../../test/support/sample.js";
import { toContentItem } from "../data/content.js";
import type { TagsmithError } from "../errors.js";
import { loadTagDefinitions } from "./load.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tagsmith-taxonomy-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const failure = (file: string) =>
  loadTagDefinitions(file).then(
    () => expect.unreachable("loaded"),
    (error: unknown) => error as TagsmithError,
  );

async function taxonomyFile(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

describe("loadTagDefinitions", () => {
  it("says a content file given for the taxonomy is one, and what to give instead", async () => {
    const error = await failure(SAMPLE_CONTENT);
    expect(error.code).toBe("invalid_taxonomy");
    expect(error.location?.file).toBe(SAMPLE_CONTENT);
    expect(error.message).toBe(
      `${SAMPLE_CONTENT}: ` +
        'this is a content file (its entries have a title), not a taxonomy: give the approved tag list, a JSON array of {"tag", "aliases", "parents"} objects (tags.json beside projects.json, say)',
    );
  });

  it("names a bad entry by its number and line, and refuses an empty list", async () => {
    const bad = await taxonomyFile(
      "bad.json",
      '[\n  {"tag": "nlp"},\n  {"tag": "", "aliases": []}\n]\n',
    );
    const error = await failure(bad);
    expect(error.location).toEqual({ file: bad, line: 3 });
    expect(error.message).toMatch(/bad\.json:3: tag entry 2: tag: must be a non-empty string/);
    expect((await failure(await taxonomyFile("empty.json", "[]"))).message).toMatch(
      /empty\.json: no tags in the taxonomy/,
    );
  });

  it("reads tag names, aliases and parents as data's tags are read: composed, on one line", async () => {
    const file = await taxonomyFile(
      "decomposed.json",
      JSON.stringify([
        { tag: "cafe\u0301", aliases: ["coffee\nshop"], parents: ["drinks "] },
        { tag: "drinks" },
      ]),
    );
    const [cafe] = await loadTagDefinitions(file);
    expect(cafe).toEqual({ tag: "caf\u00e9", aliases: ["coffee shop"], parents: ["drinks"] });
    // And a tag an item names, read through the content loader, is the approved tag.
    const item = toContentItem({ id: "1", title: "t", tags: ["cafe\u0301"] });
    expect(typeof item === "string" ? item : item.tags).toEqual([cafe?.tag]);
    // Nothing but whitespace is still no name.
    const blank = await taxonomyFile("blank.json", '[{"tag": " \\n\\t "}]');
    expect((await failure(blank)).message).toMatch(/tag: must be a non-empty string/);
  });
});
