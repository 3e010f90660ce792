// Taxonomy candidates and proposals in SQL: the tags authors typed that are not approved, ranked by how many items
// and distinct authors use them, and a curator's one proposal per candidate, kept pending until committed to the
// taxonomy files by a reviewed change (feedback/taxonomy-overlay.ts writes them as an overlay).

import { tagKey } from "../text/index.js";
import type { Queryable } from "./database.js";
import { StoreError } from "./errors.js";
import { int, iso, json } from "./sql.js";
import type { TaxonomyCandidate, TaxonomyChange, TaxonomyProposal } from "./types.js";

const CHANGE_COLUMNS = `id, candidate, action, alias_of, category, parents, proposer, status,
  ${iso("created_at")} AS created_at`;

/** Ranked by uses, then distinct authors, then name. */
export async function readCandidates(db: Queryable, limit: number): Promise<TaxonomyCandidate[]> {
  const rows = await db.query<{
    tag: string;
    uses: number | string;
    authors: number | string;
    spellings: string[];
    examples: { content_id: number; title: string }[] | null;
    change: ChangeRow | null;
  }>(
    `WITH typed AS (
       SELECT c.id, c.title, c.author, c.updated_at, t.spelling, t.tag
       FROM content c,
         ROWS FROM (jsonb_array_elements_text(c.unapproved_tags),
                    jsonb_array_elements_text(c.unapproved_keys)) AS t(spelling, tag)
     ), ranked AS (
       SELECT tag, count(DISTINCT id) AS uses, count(DISTINCT author) AS authors,
         jsonb_agg(DISTINCT spelling) AS spellings
       FROM typed WHERE tag <> ''
       GROUP BY tag
       ORDER BY uses DESC, authors DESC, tag
       LIMIT $1
     )
     SELECT r.tag, r.uses, r.authors, r.spellings,
       (SELECT jsonb_agg(jsonb_build_object('content_id', x.id, 'title', x.title)
                         ORDER BY x.updated_at DESC, x.id DESC)
        FROM (SELECT DISTINCT id, title, updated_at FROM typed WHERE typed.tag = r.tag
              ORDER BY updated_at DESC, id DESC LIMIT 3) x) AS examples,
       (SELECT to_jsonb(ch) FROM (SELECT ${CHANGE_COLUMNS} FROM taxonomy_changes
                                  WHERE candidate = r.tag) ch) AS change
     FROM ranked r
     ORDER BY r.uses DESC, r.authors DESC, r.tag`,
    [limit],
  );
  return rows.map((row) => ({
    tag: row.tag,
    uses: int(row.uses),
    authors: int(row.authors),
    spellings: row.spellings,
    examples: (row.examples ?? []).map((e) => ({ contentId: int(e.content_id), title: e.title })),
    proposal: row.change ? toChange(row.change) : null,
  }));
}

/**
 * Stores a proposal for the candidate `tag` names (any spelling of it). A tag no content uses unapproved:
 * "not_found"; a candidate with a proposal already: "already_proposed" (concurrent proposals: one wins).
 */
export async function insertProposal(
  tx: Queryable,
  tag: string,
  proposal: TaxonomyProposal,
): Promise<TaxonomyChange> {
  const candidate = tagKey(tag);
  const [used] = candidate
    ? await tx.query<{ candidate: string }>(
        `SELECT $1::text AS candidate FROM content
         WHERE unapproved_keys @> jsonb_build_array($1::text) LIMIT 1`,
        [candidate],
      )
    : [];
  if (!used)
    throw new StoreError(
      "not_found",
      `no content has "${tag}" as an unapproved tag: list candidates with GET /v1/admin/taxonomy/candidates`,
      { tag, field: "tag" },
    );
  const [row] = await tx.query<ChangeRow>(
    `INSERT INTO taxonomy_changes (candidate, action, alias_of, category, parents, proposer)
     VALUES ($1, $2, $3, $4, $5::text::jsonb, $6)
     ON CONFLICT (candidate) DO NOTHING
     RETURNING ${CHANGE_COLUMNS}`,
    [
      used.candidate,
      proposal.action,
      proposal.action === "alias" ? proposal.aliasOf : null,
      proposal.category,
      json(proposal.parents),
      proposal.proposer,
    ],
  );
  if (row) return toChange(row);
  const [existing] = await tx.query<ChangeRow>(
    `SELECT ${CHANGE_COLUMNS} FROM taxonomy_changes WHERE candidate = $1`,
    [used.candidate],
  );
  throw new StoreError(
    "already_proposed",
    `"${used.candidate}" already has a proposal (${existing?.action} by ${existing?.proposer} at ${existing?.created_at}): one proposal per candidate`,
    { tag: used.candidate, field: "tag" },
  );
}

/** Pending proposals, oldest first. */
export async function readChanges(db: Queryable): Promise<TaxonomyChange[]> {
  const rows = await db.query<ChangeRow>(
    `SELECT ${CHANGE_COLUMNS} FROM taxonomy_changes WHERE status = 'pending' ORDER BY id`,
  );
  return rows.map(toChange);
}

interface ChangeRow {
  id: number;
  candidate: string;
  action: "approve" | "alias";
  alias_of: string | null;
  category: string | null;
  parents: string[];
  proposer: string;
  status: "pending";
  created_at: string;
}

function toChange(row: ChangeRow): TaxonomyChange {
  return {
    id: int(row.id),
    candidate: row.candidate,
    action: row.action,
    aliasOf: row.alias_of,
    category: row.category,
    parents: row.parents,
    proposer: row.proposer,
    status: row.status,
    createdAt: row.created_at,
  };
}
