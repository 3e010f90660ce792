// The bundled sample (data/sample/), loaded once per test file: a taxonomy and labeled content written for tests.

import { resolve } from "node:path";
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
