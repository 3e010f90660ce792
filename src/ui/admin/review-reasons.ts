// Why an item is in the review queue, in words a reviewer reads at a glance: the rule that queued it, the model's
// score and the author's report reason when there are any.

import type { ReviewItem } from "./admin-types.js";
import { formatScore, formatWhen } from "./figures.js";

const RULES: Record<string, string> = {
  possible_miss: "Possible miss: the author chose this tag, but it was never among the suggestions",
  unaccepted_suggestion: "Suggested to the author, who did not accept it",
  report: "An author reported this suggestion",
  sampled: "Random sample, to check the quality of suggestions",
};

const REPORT_REASONS: Record<string, string> = {
  not_relevant: "not relevant",
  wrong: "wrong",
  offensive: "offensive",
  other: "other",
};

export function ruleLabel(rule: string): string {
  return RULES[rule] ?? rule.replaceAll("_", " ");
}

export function whyQueued(item: ReviewItem): { term: string; detail: string }[] {
  const lines = [{ term: "Why", detail: ruleLabel(item.rule) }];
  if (item.score !== null) lines.push({ term: "Model score", detail: formatScore(item.score) });
  if (item.reason)
    lines.push({ term: "Report reason", detail: REPORT_REASONS[item.reason] ?? item.reason });
  lines.push({ term: "Queued", detail: formatWhen(item.created_at) });
  return lines;
}
