// The store's schema as numbered migrations, applied in order when a store opens. They are TypeScript strings
// because tsc does not copy .sql files into dist/. A released migration is never edited: add the next one.

import { TagsmithError } from "../errors.js";
import type { Database, Queryable } from "./database.js";

export interface Migration {
  version: number;
  name: string;
  /** One statement each: PGlite's query runs a single statement. */
  statements: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "content and its versions",
    statements: [
      `CREATE TABLE content (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        title text NOT NULL,
        description text NOT NULL,
        tags jsonb NOT NULL CHECK (jsonb_typeof(tags) = 'array'),
        unapproved_tags jsonb NOT NULL CHECK (jsonb_typeof(unapproved_tags) = 'array'),
        author text,
        version integer NOT NULL CHECK (version >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      "CREATE INDEX content_newest ON content (updated_at DESC, id DESC)",
      `CREATE TABLE content_versions (
        content_id integer NOT NULL REFERENCES content (id),
        version integer NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        tags jsonb NOT NULL,
        unapproved_tags jsonb NOT NULL,
        author text,
        saved_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (content_id, version)
      )`,
    ],
  },
  {
    version: 2,
    name: "feedback events",
    statements: [
      `CREATE TABLE feedback_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        key text NOT NULL UNIQUE,
        type text NOT NULL CHECK (type IN ('shown', 'accepted', 'reported', 'saved', 'dismissed')),
        session text,
        content_id integer REFERENCES content (id),
        request_id text,
        model_id text,
        model_version text,
        tag text,
        suggestions jsonb,
        tags jsonb,
        reason text,
        comment text,
        latency_ms double precision,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      "CREATE INDEX feedback_events_session ON feedback_events (session)",
      "CREATE INDEX feedback_events_content ON feedback_events (content_id)",
    ],
  },
  {
    version: 3,
    name: "review queue",
    statements: [
      // One row per question (does `tag` belong to this content?); the decision columns stay null while pending.
      `CREATE TABLE review_items (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        content_id integer NOT NULL REFERENCES content (id),
        tag text NOT NULL,
        rule text NOT NULL CHECK (rule IN ('possible_miss', 'unaccepted_suggestion', 'report', 'sampled')),
        score double precision,
        reason text,
        comment text,
        event_id bigint REFERENCES feedback_events (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        applies boolean,
        reviewer text,
        note text,
        decided_at timestamptz,
        CHECK ((decided_at IS NULL) = (applies IS NULL) AND (decided_at IS NULL) = (reviewer IS NULL))
      )`,
      // At most one pending question per content, tag and rule: queueing again is ON CONFLICT DO NOTHING.
      `CREATE UNIQUE INDEX review_items_pending ON review_items (content_id, tag, rule)
        WHERE decided_at IS NULL`,
      "CREATE INDEX review_items_content_tag ON review_items (content_id, tag)",
      `CREATE INDEX review_items_decided ON review_items (decided_at DESC, id DESC)
        WHERE decided_at IS NOT NULL`,
    ],
  },
  {
    version: 4,
    name: "taxonomy changes",
    statements: [
      // A curator's proposal for an unapproved tag, keyed by the candidate: one proposal each.
      `CREATE TABLE taxonomy_changes (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        candidate text NOT NULL UNIQUE,
        action text NOT NULL CHECK (action IN ('approve', 'alias')),
        alias_of text,
        category text,
        parents jsonb NOT NULL CHECK (jsonb_typeof(parents) = 'array'),
        proposer text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((action = 'alias') = (alias_of IS NOT NULL))
      )`,
    ],
  },
  {
    version: 5,
    name: "unapproved tag keys",
    statements: [
      // Each unapproved tag's key (tagKey, computed when content is saved), at the same position: candidates group
      // by it, so the store folds spellings exactly as the approved list's lookup and the browser do.
      `ALTER TABLE content ADD COLUMN unapproved_keys jsonb NOT NULL DEFAULT '[]'::jsonb
        CHECK (jsonb_typeof(unapproved_keys) = 'array')`,
      // Content saved before: the key as SQL can fold it (case, runs of spaces, underscores and hyphens), which is
      // tagKey's for ASCII; the next save of the item writes tagKey's own.
      `UPDATE content SET unapproved_keys = (
        SELECT coalesce(jsonb_agg(btrim(regexp_replace(lower(btrim(t.spelling)), '[[:space:]_-]+', '-', 'g'), '-')
                                  ORDER BY t.n), '[]'::jsonb)
        FROM jsonb_array_elements_text(unapproved_tags) WITH ORDINALITY AS t(spelling, n))`,
    ],
  },
  {
    version: 6,
    name: "feedback event times",
    statements: [
      // When the client says the event happened. created_at and id are when it was stored, which a batch retried
      // after a newer one (an outage) gets wrong; events stored before, and clients that do not say, have none.
      "ALTER TABLE feedback_events ADD COLUMN occurred_at timestamptz",
    ],
  },
  {
    version: 7,
    name: "content creation keys",
    statements: [
      // The client's key for a creation (HTTP Idempotency-Key): a create retried after its answer was lost finds the
      // content the first one made instead of making a second. Unique; NULLs, creations without a key, are distinct.
      "ALTER TABLE content ADD COLUMN create_key text UNIQUE",
    ],
  },
  {
    version: 8,
    name: "feedback event fingerprints",
    statements: [
      // The sha256 of what the client said of an event (feedback.ts): its key sent again with the same values is a
      // duplicate, with other values another event's, refused. Events stored before, and those a save writes (keys
      // no client can send), have none: a key among them sent again counts as a duplicate, as it did.
      "ALTER TABLE feedback_events ADD COLUMN fingerprint text",
    ],
  },
];

/**
 * Any number that is the same in every tagsmith: the transaction-scoped advisory lock it names makes two processes
 * opening one PostgreSQL database at once migrate one after the other; the second finds nothing left to do.
 */
const MIGRATION_LOCK = 7_416_547_236;

/**
 * Refuses a database another tool keeps tables in, before tagsmith reads or migrates it: Rails, golang-migrate, Ecto
 * and others keep a schema_migrations table of their own (without tagsmith's name column, or with other
 * migrations), and a table named content that no tagsmith migration made would fail migrations halfway, or be read.
 * Otherwise, whether tagsmith's store is there (its migrations have run).
 */
export async function ownStore(db: Queryable, where: string): Promise<boolean> {
  const [row] = await db.query<{ migrations: boolean; named: boolean; content: boolean }>(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AS migrations,
       EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = current_schema() AND table_name = 'schema_migrations' AND column_name = 'name')
         AS named,
       to_regclass('content') IS NOT NULL AS content`,
  );
  let foreign: string | null = null;
  if (row?.migrations && !row.named)
    foreign = "another tool's schema_migrations table (it has no name column)";
  else if (row?.migrations) {
    const [first] = await db.query<{ name: string }>(
      "SELECT name FROM schema_migrations WHERE version = 1",
    );
    const ours = MIGRATIONS[0]?.name;
    if (first && first.name !== ours)
      foreign = `a schema_migrations table whose first migration is "${first.name}", not tagsmith's "${ours}"`;
    else if (!first && row.content) foreign = "a table named content that tagsmith did not create";
  } else if (row?.content) foreign = "a table named content that tagsmith did not create";
  if (foreign)
    throw new TagsmithError(
      "conflict",
      `the content database at ${where} holds ${foreign}: give tagsmith a database of its own (an empty one: tagsmith serve creates its tables there)`,
    );
  return row?.migrations === true && row.content;
}

/** Applies the migrations `db` lacks, all in one transaction; returns the versions applied. */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await ownStore(tx, db.where);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const rows = await tx.query<{ version: number }>("SELECT version FROM schema_migrations");
    const done = new Set(rows.map((r) => Number(r.version)));
    const known = Math.max(0, ...migrations.map((m) => m.version));
    const newest = Math.max(0, ...done);
    if (newest > known)
      throw new TagsmithError(
        "conflict",
        `the content database at ${db.where} has schema version ${newest}, newer than this tagsmith knows (${known}): upgrade tagsmith`,
      );
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
    }
    return applied;
  });
}
