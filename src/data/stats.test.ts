import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Taxonomy } from "../taxonomy/index.js";
import type { ContentItem } from "./content.js";
import { loadContent } from "./load.js";
import { datasetStats, fingerprint } from "./stats.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tagsmith-stats-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function load(name: string, content: string): Promise<ContentItem[]> {
  const file = join(dir, name);
  await writeFile(file, content);
  return (await loadContent(file)).items;
}

const item = (id: string, fields: Partial<ContentItem> = {}): ContentItem => ({
  id,
  createdOn: null,
  title: `title ${id}`,
  description: "",
  tags: [],
  ...fields,
});

describe("fingerprint", () => {
  it("is the same for the same content as a JSON array, JSON Lines and CSV, whatever the spacing", async () => {
    const json = await load(
      "a.json",
      `[
  {"id": 1, "created_on": "2020-02-17 06:30:41", "title": "Deep  learning",
   "description": "Notes,  with \\"quotes\\".", "tags": ["code", "pytorch"]},
  {"id": 2, "created_on": null, "title": "GANs", "description": "", "tags": []}
]`,
    );
    const jsonl = await load(
      "a.jsonl",
      [
        '{"tags":["pytorch","code"],"title":" Deep learning ","id":"1","created_on":"2020-02-17T06:30:41Z","description":"Notes, with \\"quotes\\"."}',
        '{"id":2,"title":"GANs"}',
      ].join("\n"),
    );
    const csv = await load(
      "a.csv",
      [
        "\ufeffid,created_on,title,description,tags",
        '1,2020-02-17 06:30:41,Deep\u00a0learning,"Notes, with ""quotes"".",code|pytorch',
        "2,,GANs,,",
      ].join("\r\n"),
    );
    const expected = fingerprint(json);
    expect(expected).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(fingerprint(jsonl)).toBe(expected);
    expect(fingerprint(csv)).toBe(expected);
  });

  it("changes when a title, a tag, a date or the order changes", () => {
    const items = [
      item("1", { title: "a", tags: ["x"], createdOn: "2020-01-01T00:00:00.000Z" }),
      item("2"),
    ];
    const base = fingerprint(items);
    const changed = (i: number, fields: Partial<ContentItem>) =>
      fingerprint(items.map((it, j) => (j === i ? { ...it, ...fields } : it)));
    expect(changed(0, { title: "b" })).not.toBe(base);
    expect(changed(0, { tags: ["x", "y"] })).not.toBe(base);
    expect(changed(0, { createdOn: null })).not.toBe(base);
    expect(changed(1, { description: "more" })).not.toBe(base);
    expect(changed(1, { id: "3" })).not.toBe(base);
    expect(fingerprint([...items].reverse())).not.toBe(base);
    expect(fingerprint(items.slice(0, 1))).not.toBe(base);
  });

  it("does not depend on tag order", () => {
    expect(fingerprint([item("1", { tags: ["b", "a"] })])).toBe(
      fingerprint([item("1", { tags: ["a", "b"] })]),
    );
  });

  it("does not confuse where one field ends and the next begins", () => {
    expect(fingerprint([item("1", { title: "a b", description: "" })])).not.toBe(
      fingerprint([item("1", { title: "a", description: "b" })]),
    );
    expect(fingerprint([item("1", { tags: ["a,b"] })])).not.toBe(
      fingerprint([item("1", { tags: ["a", "b"] })]),
    );
  });
});

describe("datasetStats", () => {
  const taxonomy = new Taxonomy([
    { tag: "a", aliases: [], parents: [] },
    { tag: "b", aliases: [], parents: ["a"] },
    { tag: "c", aliases: [], parents: [] },
  ]);

  it("counts items, labels, dates and cardinality", () => {
    const items = [
      item("1", { tags: ["b", "x", "z"], createdOn: "2020-01-02T00:00:00.000Z" }), // gold a, b
      item("2", { tags: ["a"], createdOn: "2020-01-01T00:00:00.000Z" }), // gold a
      item("3", { tags: ["y"], createdOn: "2020-03-01T00:00:00.000Z" }), // no gold
      item("4"), // no tags, no date
    ];
    expect(datasetStats(items, taxonomy)).toEqual({
      items: 4,
      labeledItems: 2,
      dateRange: { from: "2020-01-01T00:00:00.000Z", to: "2020-03-01T00:00:00.000Z" },
      distinctTags: 5, // a, b, x, y, z
      distinctGoldTags: 2, // a, b
      cardinality: { tags: 1.25, gold: 1.5 }, // 5 tags over 4 items; 3 gold tags over 2 labeled items
      density: 0.5, // 1.5 of 3 approved tags
      fingerprint: fingerprint(items),
    });
  });

  it("rounds to three decimals", () => {
    const items = [
      item("1", { tags: ["b"] }),
      item("2", { tags: ["a"] }),
      item("3", { tags: ["a"] }),
    ];
    const stats = datasetStats(items, taxonomy);
    expect(stats.cardinality).toEqual({ tags: 1, gold: 1.333 }); // 4 gold over 3
    expect(stats.density).toBe(0.444); // 1.333... / 3
  });

  it("describes empty and undated content without dividing by zero", () => {
    expect(datasetStats([], taxonomy)).toMatchObject({
      items: 0,
      labeledItems: 0,
      dateRange: null,
      cardinality: { tags: 0, gold: 0 },
      density: 0,
    });
    expect(datasetStats([item("1")], new Taxonomy([])).density).toBe(0);
  });
});
