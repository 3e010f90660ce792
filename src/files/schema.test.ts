// Schema problems in a person's words, each with where it is.

import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeIssues } from "./schema.js";

describe("describeIssues", () => {
  const Tag = z.strictObject({ tag: z.string(), parents: z.array(z.string()) });

  it("names unknown fields with what to do, and drops zod's 'Invalid input:'", () => {
    const result = z.array(Tag).safeParse([
      { tag: "nlp", parents: [] },
      { tag: null, parents: [], bogus: 1 },
    ]);
    expect(result.success).toBe(false);
    expect(describeIssues(result.error as z.ZodError)).toBe(
      '[1].tag: expected string, received null; [1]: unknown field "bogus": remove it, or check the spelling',
    );
  });

  it("lists the fields of the object at fault when given the schema, through options, defaults and lists", () => {
    const Config = z.strictObject({
      name: z.string(),
      options: z
        .strictObject({
          linear: z.strictObject({ C: z.number(), words: z.number() }).partial().optional(),
        })
        .default({}),
      tags: z.array(Tag).nullable(),
    });
    const result = Config.safeParse({
      name: "x",
      options: { linear: { c: 1 } },
      tags: [{ tag: "a", parents: [], parent: "b" }],
      nmae: "y",
    });
    expect(describeIssues(result.error as z.ZodError, Config)).toBe(
      [
        'options.linear: unknown field "c": the fields here are C, words; check the spelling, or remove it',
        'tags[0]: unknown field "parent": the fields here are tag, parents; check the spelling, or remove it',
        'unknown field "nmae": the fields here are name, options, tags; check the spelling, or remove it',
      ].join("; "),
    );
  });

  it("quotes an unknown key as JSON, so a line break in it does not break the message's line", () => {
    const result = Tag.safeParse({ tag: "nlp", parents: [], "bad\nkey": 1 });
    expect(describeIssues(result.error as z.ZodError)).toBe(
      'unknown field "bad\\nkey": remove it, or check the spelling',
    );
  });

  it("keeps a message a schema's own error map wrote", () => {
    const Custom = z.strictObject({ id: z.number() }, { error: () => "the accepted names are id" });
    const result = Custom.safeParse({ id: 1, tgas: [] });
    expect(describeIssues(result.error as z.ZodError)).toBe("the accepted names are id");
  });
});
