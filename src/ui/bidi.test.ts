import { describe, expect, it } from "vitest";
import { bidiControlsShown, isolated } from "./bidi.js";

describe("isolated", () => {
  it("wraps user text in first-strong isolate and pop directional isolate, keeping it as it was", () => {
    const title = "abc\u202Edef";
    expect(isolated(title)).toBe(`\u2068${title}\u2069`);
    expect(`Recorded: “${isolated(title)}”.`).toBe("Recorded: “\u2068abc\u202Edef\u2069”.");
  });
});

describe("bidiControlsShown", () => {
  it("writes out overrides, embeddings and isolates, and leaves every other character", () => {
    expect(
      bidiControlsShown("Notes \u202Eevil override\u202C, \u2067\u05e9\u05dc\u05d5\u05dd\u2069 ok"),
    ).toBe("Notes [U+202E]evil override[U+202C], [U+2067]\u05e9\u05dc\u05d5\u05dd[U+2069] ok");
    expect(bidiControlsShown("plain \u200f text")).toBe("plain \u200f text");
  });
});
