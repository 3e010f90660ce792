// The admin routes of the feedback loop: the review queue and a reviewer's decision, taxonomy candidates and a
// curator's proposal. A few lines each over the content store; registered in the admin (bearer token) scope.

import type { FastifyRequest } from "fastify";
import type { z } from "zod";
import { checkProposal } from "../feedback/index.js";
import {
  type ContentStore,
  type ReviewItem,
  type TaxonomyChange,
  UNDO_WINDOW_MINUTES,
} from "../store/index.js";
import type { Taxonomy } from "../taxonomy/index.js";
import type { ServiceApp } from "./app.js";
import { requireStore } from "./errors.js";
import { E401, json, STORE_BODY_ERRORS, STORE_QUERY_ERRORS } from "./responses.js";
import {
  CandidateParams,
  CandidatesQuery,
  ReviewDecision,
  ReviewItem as ReviewItemSchema,
  ReviewPage,
  ReviewParams,
  ReviewQuery,
  ReviewUndo,
  TaxonomyCandidates,
  TaxonomyChange as TaxonomyChangeSchema,
  TaxonomyProposal,
} from "./review-schemas.js";
import { ErrorBody } from "./schemas.js";

export interface ReviewRouteOptions {
  /** The content store; null when the service runs without one (`--no-store`). */
  store: ContentStore | null;
  /**
   * The approved list proposals are checked against (alias_of and parents must be approved tags); absent or null
   * (no model loaded yet): proposals are stored unchecked, and checked again when the overlay is loaded.
   */
  taxonomy?: (request: FastifyRequest) => Taxonomy | null;
}

const E404_ITEM = json("not_found: no review item with this id", ErrorBody);
const E409_DECIDED = json(
  "conflict: the item was already decided (the message says by whom and when); only its reviewer can undo it, briefly",
  ErrorBody,
);
const E409_UNDO = json(
  "conflict: nothing was undone, and the message says why: the item is pending; someone else decided it (details.field: reviewer); it was decided again since (decided_at); the decision is older than the undo window; or another pending item asks the same question",
  ErrorBody,
);
const E404_CANDIDATE = json("not_found: no content has this tag unapproved", ErrorBody);
const E409_PROPOSED = json("conflict: the candidate already has a proposal", ErrorBody);

export function registerReviewRoutes(admin: ServiceApp, options: ReviewRouteOptions): void {
  const store = (): ContentStore => requireStore(options.store, "there is no review queue");

  admin.get(
    "/v1/admin/review",
    {
      schema: {
        tags: ["admin"],
        summary: "The review queue",
        description:
          "Questions for reviewers (does this tag belong to this content?), filled as content is saved and reported, per the service's review policy (`tagsmith serve --review`).",
        security: [{ adminToken: [] }],
        querystring: ReviewQuery,
        response: { 200: json("A page of items", ReviewPage), 401: E401, ...STORE_QUERY_ERRORS },
      },
    },
    async (request) => {
      const page = await store().reviewQueue(request.query);
      return { items: page.items.map(toApiItem), total: page.total };
    },
  );

  admin.post(
    "/v1/admin/review/:id/decision",
    {
      schema: {
        tags: ["admin"],
        summary: "Decide a review item",
        description:
          "The answer becomes a QA'd label (`tagsmith data export-labels`) with the reviewer, the time and the rule that queued it.",
        security: [{ adminToken: [] }],
        params: ReviewParams,
        body: ReviewDecision,
        response: {
          200: json("The decided item", ReviewItemSchema),
          401: E401,
          404: E404_ITEM,
          409: E409_DECIDED,
          ...STORE_BODY_ERRORS,
        },
      },
    },
    async (request) => {
      const { applies, reviewer, note } = request.body;
      return toApiItem(
        await store().decide(request.params.id, { applies, reviewer, note: note ?? null }),
      );
    },
  );

  admin.post(
    "/v1/admin/review/:id/undo",
    {
      schema: {
        tags: ["admin"],
        summary: "Undo a decision",
        description: `Takes back a decision its reviewer made within the last ${UNDO_WINDOW_MINUTES} minutes, in one transaction: the item is pending again, without answer, reviewer or note, and its QA'd label is gone. After that the decision stands: its label may have been exported and trained on (a later decision on the same content and tag replaces it).`,
        security: [{ adminToken: [] }],
        params: ReviewParams,
        body: ReviewUndo,
        response: {
          200: json("The item, pending again", ReviewItemSchema),
          401: E401,
          404: E404_ITEM,
          409: E409_UNDO,
          ...STORE_BODY_ERRORS,
        },
      },
    },
    async (request) => {
      const { reviewer, decided_at: decidedAt } = request.body;
      return toApiItem(await store().undoDecision(request.params.id, { reviewer, decidedAt }));
    },
  );

  admin.get(
    "/v1/admin/taxonomy/candidates",
    {
      schema: {
        tags: ["admin"],
        summary: "Tags authors use that are not approved",
        description:
          "Ranked by the content items using them, then by distinct authors, with up to three example titles and any proposal.",
        security: [{ adminToken: [] }],
        querystring: CandidatesQuery,
        response: {
          200: json("Candidates, most used first", TaxonomyCandidates),
          401: E401,
          ...STORE_QUERY_ERRORS,
        },
      },
    },
    async (request) => {
      const candidates = await store().taxonomyCandidates(request.query);
      const answer: z.infer<typeof TaxonomyCandidates> = {
        candidates: candidates.map((c) => ({
          tag: c.tag,
          uses: c.uses,
          authors: c.authors,
          spellings: c.spellings,
          examples: c.examples.map((e) => ({ content_id: e.contentId, title: e.title })),
          proposal: c.proposal ? toApiChange(c.proposal) : null,
        })),
      };
      return answer;
    },
  );

  admin.post(
    "/v1/admin/taxonomy/candidates/:tag/proposal",
    {
      schema: {
        tags: ["admin"],
        summary: "Propose approving a candidate, or making it an alias",
        description:
          "Stored as a pending change, never applied here: `tagsmith taxonomy changes --out overlay.json` writes the proposals as a taxonomy overlay to review and commit. One proposal per candidate.",
        security: [{ adminToken: [] }],
        params: CandidateParams,
        body: TaxonomyProposal,
        response: {
          201: json("The stored proposal", TaxonomyChangeSchema),
          401: E401,
          404: E404_CANDIDATE,
          409: E409_PROPOSED,
          ...STORE_BODY_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const proposal = checkProposal(
        request.params.tag,
        request.body,
        options.taxonomy?.(request) ?? null,
      );
      const change = await store().proposeTaxonomyChange(request.params.tag, proposal);
      return reply.code(201).send(toApiChange(change));
    },
  );
}

function toApiItem(item: ReviewItem): z.infer<typeof ReviewItemSchema> {
  return {
    id: item.id,
    content_id: item.contentId,
    title: item.title,
    description: item.description,
    tag: item.tag,
    rule: item.rule,
    score: item.score,
    reason: item.reason,
    comment: item.comment,
    created_at: item.createdAt,
    applies: item.applies,
    reviewer: item.reviewer,
    note: item.note,
    decided_at: item.decidedAt,
  };
}

function toApiChange(change: TaxonomyChange): z.infer<typeof TaxonomyChangeSchema> {
  return {
    id: change.id,
    tag: change.candidate,
    action: change.action,
    alias_of: change.aliasOf,
    category: change.category,
    parents: change.parents,
    proposer: change.proposer,
    status: change.status,
    created_at: change.createdAt,
  };
}
