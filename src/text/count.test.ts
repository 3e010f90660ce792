import { describe, expect, it } from "vitest";
import { counted } from "./count.js";

describe("counted", () => {
  it("says one of a thing, and any other number of things", () => {
    expect(counted(1, "item")).toBe("1 item");
    expect([0, 2, 78].map((n) => counted(n, "item"))).toEqual(["0 items", "2 items", "78 items"]);
    expect(counted(1, "class", "classes")).toBe("1 class");
  });
});
