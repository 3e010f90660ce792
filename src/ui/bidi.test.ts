import { describe, expect, it } from "vitest";
import { isolated } from "./bidi.js";

describe("isolated", () => {
  it("wraps user text in first-strong isolate and pop directional isolate, keeping it as it was", () => {
    const title = "abc\u202Edef";
    expect(isolated(title)).toBe(`\u2068${title}\u2069`);
    expect(`Recorded: “${isolated(title)}”.`).toBe("Recorded: “\u2068abc\u202Edef\u2069”.");
  });
});
