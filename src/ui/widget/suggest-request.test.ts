import { describe, expect, it } from "vitest";
import { MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS } from "../../serve/limits.js";
import { suggestBody } from "./suggest-request.js";

describe("suggestBody", () => {
  it("cuts the text to what the service reads, so a long description never meets the body limit", () => {
    const body = suggestBody(
      { title: "t ".repeat(2_500), description: "d ".repeat(30_000), tags: [] },
      5,
      null,
    );
    expect(body.title).toHaveLength(MAX_TITLE_CHARS);
    expect(body.description).toHaveLength(MAX_DESCRIPTION_CHARS);
    expect(JSON.stringify(body).length).toBeLessThan(64 * 1024);
  });

  it("cuts before the word the limit falls in, as the service does: no part of a word is sent as a word", () => {
    const title = `${"a ".repeat(497)}PythonX`;
    const body = suggestBody({ title, description: "", tags: [] }, 5, null);
    expect(body.title).toBe("a ".repeat(497));
  });

  it("asks for five spare suggestions, never more than twenty", () => {
    const at = (limit: number) =>
      suggestBody({ title: "x", description: "", tags: [] }, limit, null).limit;
    expect(at(5)).toBe(10);
    expect(at(18)).toBe(20);
  });

  it("sends the chosen tags the service accepts", () => {
    const tags = ["pytorch", "x".repeat(201), ...Array.from({ length: 120 }, (_, i) => `t${i}`)];
    const body = suggestBody({ title: "x", description: "", tags }, 5, null);
    expect(body.tags?.[0]).toBe("pytorch");
    expect(body.tags).toHaveLength(100);
    expect(body.tags?.every((t) => t.length <= 200)).toBe(true);
  });

  it("sends the content id as a number when it is one", () => {
    const base = { title: "x", description: "", tags: [] };
    expect(suggestBody(base, 5, "42").content_id).toBe(42);
    expect(suggestBody(base, 5, "post-42").content_id).toBe("post-42");
    // Past 2^53 a number would be rounded (and refused by the API): sent as the string it is.
    expect(suggestBody(base, 5, "1234567890123456789").content_id).toBe("1234567890123456789");
    expect(suggestBody(base, 5, "0").content_id).toBe("0");
    expect(suggestBody(base, 5, null)).not.toHaveProperty("content_id");
  });
});
