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

  it("keeps a message a schema's own error map wrote", () => {
    const Custom = z.strictObject({ id: z.number() }, { error: () => "the accepted names are id" });
    const result = Custom.safeParse({ id: 1, tgas: [] });
    expect(describeIssues(result.error as z.ZodError)).toBe("the accepted names are id");
  });
});
