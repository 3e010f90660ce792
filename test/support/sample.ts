// The bundled sample (data/sample/), loaded once per test file: a taxonomy and labeled content written for tests.

import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { loadContent } from "../../src/data/index.js";
import { loadTaxonomy } from "../../src/taxonomy/index.js";
import { ROOT } from "./cli.js";

export const SAMPLE_CONTENT = resolve(ROOT, "data/sample/content.json");
export const SAMPLE_TAXONOMY = resolve(ROOT, "data/sample/taxonomy.json");

export async function loadSample() {
  const taxonomy = await loadTaxonomy(SAMPLE_TAXONOMY);
  const { items } = await loadContent(SAMPLE_CONTENT);
  return { taxonomy, items };
}

/**
 * The sample's content file cut in two halves written into `dir` (first-half.json, second-half.json): one to train a
 * model on, the other as gold data it never saw. Returns the files and how many items the second half holds.
 */
export async function sampleHalves(dir: string) {
  const items = JSON.parse(await readFile(SAMPLE_CONTENT, "utf8")) as unknown[];
  const half = Math.floor(items.length / 2);
  const firstHalf = join(dir, "first-half.json");
  const secondHalf = join(dir, "second-half.json");
  await writeFile(firstHalf, JSON.stringify(items.slice(0, half)));
  await writeFile(secondHalf, JSON.stringify(items.slice(half)));
  return { firstHalf, secondHalf, secondHalfItems: items.length - half };
}
