// Validating parsed file content against a zod schema, with one clear line per problem.

import type { z } from "zod";

/** Where in a parsed value a problem is: "tags[2].aliases"; "" for the value itself. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) =>
      typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`,
    )
    .join("");
}

/** "tags[2].aliases: expected array, received string" */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issuePath(issue.path);
  return path ? `${path}: ${issueMessage(issue)}` : issueMessage(issue);
}

/** zod's message in a person's words: "Invalid input: " says nothing the rest does not, and a key is a field. */
function issueMessage(issue: z.core.$ZodIssue): string {
  // zod's own words only: a schema's error map may have said it better already (content files list the fields).
  if (issue.code === "unrecognized_keys" && /^Unrecognized keys?:/.test(issue.message)) {
    const names = issue.keys.map((key) => `"${key}"`).join(", ");
    return `unknown field${issue.keys.length > 1 ? "s" : ""} ${names}: remove ${issue.keys.length > 1 ? "them" : "it"}, or check the spelling`;
  }
  return issue.message.replace(/^Invalid input: /, "");
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map(describeIssue).join("; ");
}
