// Why an item is in the review queue, in words a reviewer reads at a glance: the rule that queued it, the model's
// score and the author's report reason and comment when there are any.

import type { ReviewItem } from "./admin-types.js";
import { formatScore, formatWhen } from "./figures.js";

const RULES: Record<string, string> = {
  possible_miss: "Possible miss: the author chose this tag, but it was never among the suggestions",
  unaccepted_suggestion: "Suggested to the author, who did not accept it",
  report: "An author reported this suggestion",
  sampled: "A tag the author saved, on content sampled at random to check the labels",
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

/** One line of the card's why; `authored` when the detail is the author's own words, to be shown isolated. */
export interface WhyLine {
  term: string;
  detail: string;
  authored?: boolean;
}

export function whyQueued(item: ReviewItem): WhyLine[] {
  const lines: WhyLine[] = [{ term: "Why", detail: ruleLabel(item.rule) }];
  if (item.score !== null) lines.push({ term: "Model score", detail: formatScore(item.score) });
  if (item.reason)
    lines.push({ term: "Report reason", detail: REPORT_REASONS[item.reason] ?? item.reason });
  // The reason "other" says nothing by itself: what the author wrote is what the reviewer needs.
  if (item.comment?.trim())
    lines.push({ term: "Author's comment", detail: item.comment.trim(), authored: true });
  lines.push({ term: "Queued", detail: formatWhen(item.created_at) });
  return lines;
}
