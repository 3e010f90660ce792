// The database's CHECK constraints were written in SQL when their tables were made, and migrations never change once
// applied: these tests keep them and the TypeScript vocabulary the same words.

import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "./migrations.js";
import { EVENT_TYPES, REVIEW_RULES } from "./vocabulary.js";

/** The quoted words of `column IN (...)` in the migrations' SQL. */
function checkedWords(column: string): string[] {
  const sql = MIGRATIONS.flatMap((m) => m.statements).join("\n");
  const list = new RegExp(`\\b${column} IN \\(([^)]*)\\)`).exec(sql)?.[1];
  if (list === undefined) throw new Error(`no CHECK (${column} IN (...)) in the migrations`);
  return [...list.matchAll(/'([^']*)'/g)].map((m) => m[1] as string);
}

describe("the store's vocabulary", () => {
  it("is the words the database's CHECK constraints allow", () => {
    expect(checkedWords("type")).toEqual([...EVENT_TYPES]);
    expect(checkedWords("rule")).toEqual([...REVIEW_RULES]);
  });
});
