// Parsing a request body: prototype-poisoning keys found wherever they are, and the search linear in the body.

import { describe, expect, it } from "vitest";
import type { ApiError } from "./errors.js";
import { parseJsonBody } from "./json-body.js";

const refusal = (text: string) => {
  try {
    parseJsonBody(text);
  } catch (error) {
    return (error as ApiError).message;
  }
  return expect.unreachable("parsed");
};

describe("parseJsonBody", () => {
  it("names where a __proto__ or constructor.prototype key is, however it is spelt", () => {
    expect(refusal('{"tags": [1, {"a": {"__proto__": {}}}]}')).toContain("tags[1].a.__proto__");
    expect(refusal('{"x": [[{"constructor": {"prototype": 1}}]]}')).toContain(
      "x[0][0].constructor.prototype",
    );
    expect(refusal('{"\\u005f_proto__": 1}')).toContain("__proto__");
    expect(parseJsonBody('{"title": "caf\\u00e9", "constructor": "c"}')).toEqual({
      title: "café",
      constructor: "c",
    });
  });

  // The search once copied each node's path into its children's entries: a 64 kB body of nested arrays with one
  // \u escape held the service's one thread for 50 s. Linear, this depth takes milliseconds; quadratic, minutes,
  // so the test's own timeout catches it.
  it("searches a body of 30,000 nested arrays at once", { timeout: 5_000 }, () => {
    const depth = 30_000;
    const text = `{"title": "x\\u0041", "tags": ${"[".repeat(depth)}${"]".repeat(depth)}}`;
    expect(parseJsonBody(text)).toMatchObject({ title: "xA" });
    const poisoned = `{"tags": ${"[".repeat(depth)}{"__proto__": 1}${"]".repeat(depth)}}`;
    expect(refusal(poisoned)).toContain(
      "tags[0][0][0]...(29994 levels)...[0][0][0].__proto__: a __proto__",
    );
  });
});
