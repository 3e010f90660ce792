import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContentItem } from "./content.js";
import { readContent } from "./load.js";
import { writeContent, writeContentFiles } from "./write.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tagsmith-write-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const items: ContentItem[] = [
  {
    id: "19",
    createdOn: "2020-03-03T13:54:31.000Z",
    title: "Diffusion to Vector",
    description: "Diffusion2Vec on Gensim.",
    tags: ["other"],
  },
  { id: "20", createdOn: null, title: "YOLO", description: "", tags: ["computer-vision"] },
  { id: "21", createdOn: null, title: "An empty tag cell", description: "", tags: [] },
];

describe("writeContent", () => {
  it("writes an item's text as its file wrote it, not as normalised for reading", async () => {
    const source = join(dir, "written.jsonl");
    const description =
      "Para one.\n\nPara two: E=mc\u00b2, \ufb01ne, x\u2082, \u00bd, caf\u0065\u0301";
    await writeFile(
      source,
      `${JSON.stringify({ id: 1, title: " Two  spaces ", description, tags: ["a"] })}\n`,
    );
    const [read] = (await readContent(source)).items;
    expect(read?.item.description).toBe("Para one. Para two: E=mc2, fine, x2, 1\u20442, caf\u00e9");
    const out = join(dir, "written-out.jsonl");
    await writeContent(out, [read?.item as ContentItem]);
    expect(JSON.parse(await readFile(out, "utf8"))).toMatchObject({
      title: " Two  spaces ",
      description,
    });
  });

  it("writes multi-label records with tags by default, which read back as they were", async () => {
    const file = join(dir, "multi.json");
    await writeContent(file, items);
    expect(JSON.parse(await readFile(file, "utf8"))[0]).toEqual({
      id: "19",
      created_on: "2020-03-03T13:54:31.000Z",
      title: "Diffusion to Vector",
      description: "Diffusion2Vec on Gensim.",
      tags: ["other"],
    });
    const loaded = await readContent(file);
    expect(loaded.labelMode).toBe("multi");
    expect(loaded.items.map((l) => l.item)).toEqual(items);
  });

  it("keeps single-label data single-label: one tag per record, read back as single-label", async () => {
    for (const name of ["single.json", "single.jsonl"]) {
      const file = join(dir, name);
      await writeContent(file, items, { labelMode: "single" });
      const text = await readFile(file, "utf8");
      expect(text, name).not.toContain('"tags"');
      expect(text, name).toMatch(/"tag": ?"other"/);
      const loaded = await readContent(file);
      expect(loaded.problems, name).toEqual([]);
      expect(loaded.labelMode, name).toBe("single");
      expect(loaded.items.map((l) => l.item)).toEqual(items);
    }
  });

  it("refuses to write an item with several tags as single-label", async () => {
    await expect(
      writeContent(join(dir, "x.json"), [{ ...items[1], tags: ["a", "b"] } as ContentItem], {
        labelMode: "single",
      }),
    ).rejects.toThrow(/item 20 has 2 tags: a single-label file holds one tag per item/);
  });
});

describe("writeContentFiles", () => {
  it("writes every file or none: a later file in the way leaves no earlier one behind", async () => {
    const out = join(dir, "parts");
    await rm(out, { recursive: true, force: true });
    const parts = [
      { file: join(out, "train.json"), items: [items[0] as ContentItem] },
      { file: join(out, "test.jsonl"), items: [items[1] as ContentItem] },
    ];
    await writeContentFiles([parts[1] as (typeof parts)[number]], { replace: false });
    await expect(writeContentFiles(parts, { replace: false })).rejects.toThrow(/test\.jsonl/);
    expect((await readdir(out)).sort()).toEqual(["test.jsonl"]);
    await rm(parts[1]?.file as string);
    await writeContentFiles(parts, { replace: false });
    expect((await readContent(join(out, "train.json"))).items.map((l) => l.item.id)).toEqual([
      "19",
    ]);
    expect((await readContent(join(out, "test.jsonl"))).items.map((l) => l.item.id)).toEqual([
      "20",
    ]);
  });
});
