// The contract every tagger keeps, checked on one answer: the service checks a model's answers with it before it
// serves it (model/warm-up.ts), and the contract tests (test/taggers/contract.test.ts) assert with it on every tagger.

import type { Taxonomy } from "../taxonomy/index.js";
import type { Suggestion } from "./suggestion.js";
import { excludedTags } from "./tagger.js";

/**
 * What breaks the contract in one answer of at most `limit` suggestions with `chosen` tags excluded (names or aliases,
 * any case, as the author sent them), or undefined when nothing does.
 */
export function answerProblem(
  suggestions: readonly Suggestion[],
  taxonomy: Taxonomy,
  limit: number,
  chosen: readonly string[] = [],
): string | undefined {
  const excluded = excludedTags(taxonomy, chosen);
  if (suggestions.length > limit)
    return `${suggestions.length} suggestions where at most ${limit} were asked for`;
  const seen = new Set<string>();
  let previous = Number.POSITIVE_INFINITY;
  for (const { tag, score } of suggestions) {
    if (!taxonomy.isApproved(tag)) return `the tag ${JSON.stringify(tag)}, which is not approved`;
    if (seen.has(tag)) return `${tag} twice`;
    if (excluded.has(tag)) return `${tag}, which the author chose`;
    // Written so that NaN fails too.
    if (!(score >= 0 && score <= 1)) return `${tag} scored ${score}, not a number from 0 to 1`;
    if (score > previous) return `${tag} (${score}) ranked below a lower score`;
    seen.add(tag);
    previous = score;
  }
  return undefined;
}
