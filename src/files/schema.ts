// Validating parsed file content against a zod schema, with one clear line per problem.

import type { z } from "zod";

/** "tags[2].aliases: expected array, received string" */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path
    .map((part, i) =>
      typeof part === "number" ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`,
    )
    .join("");
  return path ? `${path}: ${issue.message}` : issue.message;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map(describeIssue).join("; ");
}
