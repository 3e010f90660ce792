// Validating parsed file content against a zod schema, with one clear line per problem.

import { z } from "zod";

/** Where in a parsed value a problem is: "tags[2].aliases"; "" for the value itself. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => {
      if (typeof part === "number") return `[${part}]`;
      const name = String(part);
      // A key that is not a plain name (a record's "../x", "a b") is quoted, so the path still reads as one.
      if (!/^[\p{L}_$][\p{L}\p{N}_$-]*$/u.test(name)) return `[${JSON.stringify(name)}]`;
      return i === 0 ? name : `.${name}`;
    })
    .join("");
}

/**
 * "tags[2].aliases: expected array, received string". Given the schema the value was checked against, an unknown
 * field's message lists the fields that object takes, so a misspelt option names its right spelling.
 */
export function describeIssue(issue: z.core.$ZodIssue, schema?: z.ZodType): string {
  const path = issuePath(issue.path);
  const message = issueMessage(issue, schema);
  return path ? `${path}: ${message}` : message;
}

/** zod's message in a person's words: "Invalid input: " says nothing the rest does not, and a key is a field. */
function issueMessage(issue: z.core.$ZodIssue, schema: z.ZodType | undefined): string {
  // zod's own words only: a schema's error map may have said it better already (content files list the fields).
  if (issue.code === "unrecognized_keys" && /^Unrecognized keys?:/.test(issue.message)) {
    const many = issue.keys.length > 1;
    // JSON-quoted, so a key holding a line break or a quote stays one readable token.
    const names = issue.keys.map((key) => JSON.stringify(key)).join(", ");
    const known = schema ? fieldsAt(schema, issue.path) : undefined;
    return known
      ? `unknown field${many ? "s" : ""} ${names}: the fields here are ${known.join(", ")}; check the spelling, or remove ${many ? "them" : "it"}`
      : `unknown field${many ? "s" : ""} ${names}: remove ${many ? "them" : "it"}, or check the spelling`;
  }
  // A record key the key schema refused: its own message says why ("Invalid key in record" does not).
  if (issue.code === "invalid_key" && issue.issues[0])
    return `invalid key: ${issueMessage(issue.issues[0], undefined)}`;
  return issue.message.replace(/^Invalid input: /, "");
}

/**
 * The field names of the object `schema` expects at `path`, through optional, nullable, default and list wrappers, and
 * into what a transform reads.
 */
function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let node: unknown = schema;
  for (const key of [...path, undefined]) {
    while (
      node instanceof z.ZodOptional ||
      node instanceof z.ZodNullable ||
      node instanceof z.ZodDefault ||
      node instanceof z.ZodPipe
    )
      node = node instanceof z.ZodPipe ? node.in : node.unwrap();
    if (key === undefined) return node instanceof z.ZodObject ? Object.keys(node.shape) : undefined;
    if (node instanceof z.ZodObject) node = node.shape[String(key)];
    else if (node instanceof z.ZodArray && typeof key === "number") node = node.element;
    else return undefined;
  }
  return undefined;
}

export function describeIssues(error: z.ZodError, schema?: z.ZodType): string {
  return error.issues.map((issue) => describeIssue(issue, schema)).join("; ");
}
