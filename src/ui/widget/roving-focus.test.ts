import { describe, expect, it } from "vitest";
import { rovingTarget } from "./roving-focus.js";

// Three suggestions: controls 0,2,4 are tag buttons, 1,3,5 their report buttons.
const COUNT = 6;

describe("rovingTarget", () => {
  it("steps through every control with Left and Right, wrapping around", () => {
    expect(rovingTarget("ArrowRight", 0, COUNT)).toBe(1);
    expect(rovingTarget("ArrowRight", 5, COUNT)).toBe(0);
    expect(rovingTarget("ArrowLeft", 0, COUNT)).toBe(5);
  });

  it("steps toward the next control on screen in right-to-left text, where Left moves forward", () => {
    expect(rovingTarget("ArrowLeft", 0, COUNT, true)).toBe(1);
    expect(rovingTarget("ArrowRight", 0, COUNT, true)).toBe(5);
    expect(rovingTarget("ArrowDown", 0, COUNT, true)).toBe(2);
  });

  it("jumps between tag buttons with Up and Down, from a tag or its report button", () => {
    expect(rovingTarget("ArrowDown", 0, COUNT)).toBe(2);
    expect(rovingTarget("ArrowDown", 3, COUNT)).toBe(4);
    expect(rovingTarget("ArrowDown", 4, COUNT)).toBe(0);
    expect(rovingTarget("ArrowUp", 0, COUNT)).toBe(4);
    expect(rovingTarget("ArrowUp", 3, COUNT)).toBe(0);
  });

  it("goes to the first and last tag button with Home and End", () => {
    expect(rovingTarget("Home", 3, COUNT)).toBe(0);
    expect(rovingTarget("End", 0, COUNT)).toBe(4);
  });

  it("leaves other keys (and an empty list) alone", () => {
    expect(rovingTarget("Enter", 0, COUNT)).toBeNull();
    expect(rovingTarget("ArrowRight", 0, 0)).toBeNull();
  });
});
