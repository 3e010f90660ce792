// A fresh process's first suggestions, cold or after the service's warm-up (model/warm-up.ts): run by
// bench/models.ts in a process of its own per measurement, since a process that has suggested before is warm.
// Usage: node dist/bench/first-suggestions.js MODEL_DIR TEXTS_JSON cold|warm-up. Prints one JSON object.

import { readFile } from "node:fs/promises";
import { loadModel, warmUp } from "../src/model/index.js";
import type { ContentInput } from "../src/taggers/index.js";

const [dir, textsFile, mode] = process.argv.slice(2);
if (!dir || !textsFile || (mode !== "cold" && mode !== "warm-up"))
  throw new Error("usage: first-suggestions MODEL_DIR TEXTS_JSON cold|warm-up");
const texts = JSON.parse(await readFile(textsFile, "utf8")) as ContentInput[];
const model = await loadModel(dir);
const warmUpMs = mode === "warm-up" ? (await warmUp(model)).ms : 0;
const times = texts.map((text) => {
  const start = performance.now();
  model.tagger.suggest(text);
  return performance.now() - start;
});
process.stdout.write(
  `${JSON.stringify({ warm_up_ms: warmUpMs, first_ms: times[0], total_ms: times.reduce((s, t) => s + t, 0) })}\n`,
);
