// The review policy: how much incoming content reviewers see, as a setting ("conflicts", "sample:R" or "all"), and
// which saved content a sample takes. Pure: the store applies it inside the save transaction.

import { TagsmithError } from "../errors.js";
import { sha256 } from "../files/index.js";

/**
 * conflicts: only the rules that flag a disagreement (a tag the model never showed, a confident suggestion not
 * taken, a report). sample: those, plus every final tag of a share `rate` of saved content. all: rate 1.
 */
export type ReviewPolicy =
  | { kind: "conflicts" }
  | { kind: "sample"; rate: number }
  | { kind: "all" };

export const DEFAULT_REVIEW_POLICY: ReviewPolicy = { kind: "conflicts" };

/**
 * A suggestion scored at least this high that the author did not keep is worth a reviewer's look: the model was
 * confident, so either it is wrong or the author missed a tag. Below it, not keeping a suggestion is ordinary.
 */
export const CONFIDENT_SCORE = 0.5;

const POLICY_HELP = 'use "conflicts", "all" or "sample:R" with 0 < R <= 1 (e.g. "sample:0.2")';

/** "conflicts" | "all" | "sample:R"; anything else is a usage error saying what is accepted. */
export function parseReviewPolicy(text: string): ReviewPolicy {
  const value = text.trim().toLowerCase();
  if (value === "conflicts") return { kind: "conflicts" };
  if (value === "all") return { kind: "all" };
  const sample = /^sample:(.+)$/.exec(value);
  if (sample) {
    const rate = Number(sample[1]);
    if (Number.isFinite(rate) && rate > 0 && rate <= 1)
      return rate === 1 ? { kind: "all" } : { kind: "sample", rate };
    throw new TagsmithError(
      "usage",
      `review policy "${text}": the sample share must be a number above 0 and at most 1: ${POLICY_HELP}`,
    );
  }
  throw new TagsmithError("usage", `unknown review policy "${text}": ${POLICY_HELP}`);
}

export function formatReviewPolicy(policy: ReviewPolicy): string {
  return policy.kind === "sample" ? `sample:${policy.rate}` : policy.kind;
}

/** The share of saved content whose every final tag is reviewed. */
export function sampledShare(policy: ReviewPolicy): number {
  return policy.kind === "all" ? 1 : policy.kind === "sample" ? policy.rate : 0;
}

/**
 * Whether the policy samples this content: a hash of its id, not a random draw, so every save of the same content
 * (and every process, and a rerun of a test) decides the same way, and the sampled share converges on the rate.
 */
export function isSampled(contentId: number, policy: ReviewPolicy): boolean {
  const share = sampledShare(policy);
  if (share >= 1) return true;
  if (share <= 0) return false;
  return contentPosition(contentId) < share;
}

/** Where a content id falls in [0, 1): the first 32 bits of a sha256, uniform over ids. */
export function contentPosition(contentId: number): number {
  return Number.parseInt(sha256(`tagsmith-review:${contentId}`).slice(0, 8), 16) / 2 ** 32;
}
