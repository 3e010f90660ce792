// The admin review and taxonomy API's requests and responses, written once (named in the OpenAPI document like
// schemas.ts): the review queue a reviewer works through, and the candidate tags a curator proposes changes for.

import { z } from "zod";
import { CONFIDENT_SCORE } from "../feedback/index.js";
import {
  DEFAULT_CANDIDATES_PAGE,
  DEFAULT_REVIEW_PAGE,
  MAX_ID,
  REPORT_REASONS,
  REVIEW_RULES,
  UNDO_WINDOW_MINUTES,
} from "../store/index.js";
import { DECIMAL_DIGITS, decimalInteger, named, storable } from "./schemas.js";

export const MAX_REVIEW_PAGE = 100;
export const MAX_PROPOSAL_PARENTS = 20;

const Name = storable(z.string().trim().min(1).max(200));
const TagName = storable(z.string().trim().min(1).max(200));

export const ReviewQuery = z.strictObject({
  status: z
    .enum(["pending", "decided"])
    .default("pending")
    .describe("pending: oldest first; decided: most recently decided first."),
  limit: decimalInteger(1, MAX_REVIEW_PAGE)
    .default(DEFAULT_REVIEW_PAGE)
    .describe(
      `At most this many items: 1 to ${MAX_REVIEW_PAGE}, default ${DEFAULT_REVIEW_PAGE}. ${DECIMAL_DIGITS}`,
    ),
  offset: decimalInteger(0).default(0).describe(`Items to skip, default 0. ${DECIMAL_DIGITS}`),
});

export const ReviewParams = z.strictObject({
  id: decimalInteger(1, MAX_ID).describe(`The review item's id. ${DECIMAL_DIGITS}`),
});

export const ReviewItem = named(
  z.object({
    id: z.number().int(),
    content_id: z.number().int(),
    title: z.string().describe("The content's title now."),
    description: z.string(),
    tag: z.string().describe("The question: does this tag belong to the content?"),
    rule: z
      .enum(REVIEW_RULES)
      .describe(
        `Why it is asked: possible_miss (the author added it, the model never showed it), unaccepted_suggestion (among the last suggestions shown, for the text as saved, with a score of ${CONFIDENT_SCORE} or more; neither kept nor reported), report (an author reported it), sampled (the review policy samples this content).`,
      ),
    score: z
      .number()
      .nullable()
      .describe(
        "unaccepted_suggestion: its score in the last suggestions shown; report: the highest score the reporting session was shown it with (null when none of its suggestions is stored).",
      ),
    reason: z.enum(REPORT_REASONS).nullable().describe("report: the author's reason."),
    comment: z.string().nullable().describe("report: the author's comment."),
    created_at: z.string(),
    applies: z.boolean().nullable().describe("The decision; null while pending."),
    reviewer: z.string().nullable(),
    note: z.string().nullable(),
    decided_at: z.string().nullable(),
  }),
  "ReviewItem",
  "One question for a reviewer, and its answer once decided.",
);

export const ReviewPage = named(
  z.object({ items: z.array(ReviewItem), total: z.number().int() }),
  "ReviewPage",
  "A page of the review queue, and how many items have that status.",
);

export const ReviewDecision = named(
  z.strictObject({
    applies: z.boolean().describe("Whether the tag belongs to the content."),
    reviewer: Name.describe("Who decided: kept with the label as its provenance."),
    note: storable(z.string().max(2000)).optional(),
  }),
  "ReviewDecision",
  `A reviewer's answer. A second decision on the item is refused (409); the reviewer can undo theirs within ${UNDO_WINDOW_MINUTES} minutes (ReviewUndo).`,
);

export const ReviewUndo = named(
  z.strictObject({
    reviewer: Name.describe("Who undoes it: the reviewer who decided."),
    decided_at: z.iso
      .datetime({
        precision: 3,
        error: (issue) =>
          issue.input === undefined
            ? undefined
            : "expected the decision's decided_at as deciding answered it: UTC with milliseconds, as 2026-03-01T10:00:00.000Z",
      })
      .describe(
        "The decision's decided_at, exactly as deciding answered it (UTC, milliseconds): a decision undone and made again since is another, and is left alone.",
      ),
  }),
  "ReviewUndo",
  `Takes back a decision made within the last ${UNDO_WINDOW_MINUTES} minutes, by the reviewer who made it: a stray key or click, noticed at once. Later the label may have been exported and trained on, so the decision stands.`,
);

export const CandidatesQuery = z.strictObject({
  limit: decimalInteger(1, MAX_REVIEW_PAGE)
    .default(DEFAULT_CANDIDATES_PAGE)
    .describe(
      `At most this many candidates: 1 to ${MAX_REVIEW_PAGE}, default ${DEFAULT_CANDIDATES_PAGE}. ${DECIMAL_DIGITS}`,
    ),
});

export const CandidateParams = z.strictObject({ tag: TagName });

export const TaxonomyChange = named(
  z.object({
    id: z.number().int(),
    tag: z.string().describe("The candidate."),
    action: z.enum(["approve", "alias"]),
    alias_of: z.string().nullable(),
    category: z.string().nullable(),
    parents: z.array(z.string()),
    proposer: z.string(),
    status: z.literal("pending"),
    created_at: z.string(),
  }),
  "TaxonomyChange",
  "A proposed change to the approved tag list: pending until written out (tagsmith taxonomy changes), reviewed and committed.",
);

export const TaxonomyCandidate = named(
  z.object({
    tag: z
      .string()
      .describe(
        "The tag key: Unicode NFKC, lower case, runs of spaces, hyphens and underscores as one hyphen. Every spelling with this key counts.",
      ),
    uses: z.number().int().describe("Content items that have it."),
    authors: z.number().int().describe("Distinct authors of those items."),
    spellings: z.array(z.string()).describe("As authors typed it."),
    examples: z
      .array(z.object({ content_id: z.number().int(), title: z.string() }))
      .describe("Up to three, most recently updated first."),
    proposal: TaxonomyChange.nullable(),
  }),
  "TaxonomyCandidate",
  "A tag authors use that is not approved.",
);

export const TaxonomyCandidates = named(
  z.object({
    candidates: z.array(TaxonomyCandidate).describe("By uses, then distinct authors."),
  }),
  "TaxonomyCandidates",
  "Candidates for the approved tag list.",
);

export const TaxonomyProposal = named(
  z.discriminatedUnion("action", [
    z.strictObject({
      action: z.literal("approve"),
      category: TagName.optional(),
      parents: z.array(TagName).max(MAX_PROPOSAL_PARENTS).default([]).describe("Approved tags."),
      proposer: Name,
    }),
    z.strictObject({
      action: z.literal("alias"),
      alias_of: TagName.describe("The approved tag the candidate becomes an alias of."),
      proposer: Name,
    }),
  ]),
  "TaxonomyProposal",
  "Approve the candidate as a new tag, or make it an alias of an approved one.",
);
export type TaxonomyProposal = z.infer<typeof TaxonomyProposal>;
