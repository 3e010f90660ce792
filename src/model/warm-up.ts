// A loaded model's first answers, before it serves anyone. The first suggestions of a fresh process take milliseconds,
// not a tenth of one: the JIT has not compiled the tagger's code yet (`npm run bench:models`, first_suggestions). So
// the service asks the model about texts naming approved tags before it answers a request with it, which both warms it
// and checks that it keeps the taggers' contract (taggers/answer-check.ts): a model that answers with scores outside
// 0..1, tags that are not approved or were chosen, or more than asked for (read by a tagsmith whose taggers read its
// file differently) is refused, and the model being served stays. A number that is not finite in model.bin is refused
// when it is loaded (model-dir.ts). What neither can see (an index edited to point at another tag, which only changes
// which tags come out) they do not claim to.

import { join } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { TagsmithError } from "../errors.js";
import { answerProblem, type ContentInput } from "../taggers/index.js";
import { type LoadedModel, MODEL_FILE } from "./model-dir.js";

/**
 * Texts like authors' (a title and a sentence of description, naming several approved tags), enough of them for the
 * JIT to compile the taggers' hot paths. Measured (a fresh process, the Made With ML model, the next 20 suggestions
 * of the test split): 100 texts of one tag's name left them at 5-30 ms together; 200 to 500 such texts at 4-5 ms,
 * about what a long-running process takes (0.12-0.2 ms each), for about 0.2 s of warm-up.
 */
export const WARM_UP_PROBES = 300;
const PROBE_LIMIT = 5;

type ModelToWarm = Pick<LoadedModel, "tagger" | "taxonomy" | "content" | "dir">;

export interface WarmUp {
  probes: number;
  ms: number;
}

/** The i-th probe: eight approved tags' names, picked in strides across the list; the first chosen in odd ones. */
function probe(names: readonly string[], i: number): { text: ContentInput; chosen?: string[] } {
  const name = (k: number) => names[(i * 7 + k * 13) % names.length].replaceAll("-", " ");
  const text = {
    title: `${name(0)} with ${name(1)}`,
    description: `A project on ${name(2)}, ${name(3)} and ${name(4)}: code, data and results for ${name(5)} using ${name(6)}, with a demo and a tutorial about ${name(7)}.`,
  };
  return i % 2 === 1 ? { text, chosen: [name(0)] } : { text };
}

/**
 * Asks the model about WARM_UP_PROBES texts naming approved tags, every other one with its first tag chosen (the
 * editor's usual request, which takes other paths); throws what breaks the contract, naming model.bin. One probe per
 * turn of the event loop, so a service warming the next model keeps answering with the current one; `stopped` ends
 * it early (a service shutting down).
 */
export async function warmUp(
  model: ModelToWarm,
  { stopped = () => false }: { stopped?: () => boolean } = {},
): Promise<WarmUp> {
  const started = performance.now();
  const names = model.taxonomy.tags;
  // No approved tag: nothing can be suggested or checked (a taxonomy is refused empty when loaded).
  const probes = names.length > 0 ? WARM_UP_PROBES : 0;
  let asked = 0;
  for (; asked < probes && !stopped(); asked++) {
    const { text, chosen } = probe(names, asked);
    const suggestions = model.tagger.suggest(
      text,
      chosen ? { limit: PROBE_LIMIT, exclude: chosen } : { limit: PROBE_LIMIT, minScore: 0 },
    );
    const problem = answerProblem(suggestions, model.taxonomy, PROBE_LIMIT, chosen);
    if (problem) throw refused(model, `answers "${text.title}" with ${problem}`);
    await nextTurn();
  }
  return { probes: asked, ms: performance.now() - started };
}

function refused(model: ModelToWarm, what: string): TagsmithError {
  return new TagsmithError(
    "invalid_input",
    `the ${model.content.kind} model ${what}: model.bin was written by another version of tagsmith, or damaged; retrain the model`,
    { file: join(model.dir, MODEL_FILE) },
  );
}
