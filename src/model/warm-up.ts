// A loaded model's first answers, before it serves anyone. The first suggestions of a fresh process take milliseconds,
// not a tenth of one: the JIT has not compiled the tagger's code yet (`npm run bench:models`, first_suggestions). So
// the service asks the model about approved tags' names before it answers a request with it, which both warms it and
// checks that it keeps the taggers' contract: a model.bin that loads but answers with scores that are not numbers,
// tags that are not approved, or nothing at all for any tag's own name (written by a tagsmith whose taggers read it
// differently, or damaged inside with its checksum redone) is refused, and the model being served stays. What such a
// check cannot see (an index edited to point elsewhere, which only changes which tags come out) it does not claim to.

import { join } from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { TagsmithError } from "../errors.js";
import { answerProblem } from "../taggers/answer-check.js";
import { type LoadedModel, MODEL_FILE } from "./model-dir.js";

/**
 * Enough calls for the JIT to compile the taggers' hot paths: from 50 to 800 probes made no difference to a fresh
 * process's next 20 suggestions (measured on a loaded machine); more only add start time (a few ms a probe while cold).
 */
const PROBES = 100;
const PROBE_LIMIT = 5;
/** Words about no tag in particular, so the learned taggers read a description too. */
const PROBE_DESCRIPTION = "A short project built with open data, with code, results and a demo.";

type ModelToWarm = Pick<LoadedModel, "tagger" | "taxonomy" | "content" | "dir">;

export interface WarmUp {
  probes: number;
  ms: number;
}

/**
 * Asks the model about approved tags' names (at most PROBES); throws what breaks the contract, naming model.bin. One
 * probe per turn of the event loop: a service warming the next model keeps answering with the current one meanwhile.
 */
export async function warmUp(model: ModelToWarm): Promise<WarmUp> {
  const started = performance.now();
  const names = model.taxonomy.tags.slice(0, PROBES);
  let answered = 0;
  for (const name of names) {
    const title = name.replaceAll("-", " ");
    const suggestions = model.tagger.suggest(
      { title, description: PROBE_DESCRIPTION },
      { limit: PROBE_LIMIT, minScore: 0 },
    );
    const problem = answerProblem(suggestions, model.taxonomy, PROBE_LIMIT);
    if (problem) throw refused(model, `answers "${title}" with ${problem}`);
    if (suggestions.length > 0) answered++;
    await nextTurn();
  }
  if (names.length > 0 && answered === 0)
    throw refused(model, `suggests nothing for any of ${names.length} approved tags' own names`);
  return { probes: names.length, ms: performance.now() - started };
}

function refused(model: ModelToWarm, what: string): TagsmithError {
  return new TagsmithError(
    "invalid_input",
    `the ${model.content.kind} model ${what}: model.bin was written by another version of tagsmith, or damaged; retrain the model`,
    { file: join(model.dir, MODEL_FILE) },
  );
}
