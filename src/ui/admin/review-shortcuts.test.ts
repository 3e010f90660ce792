import { describe, expect, it } from "vitest";
import { type KeyPress, reviewShortcut } from "./review-shortcuts.js";

const press = (key: string, more: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  target: { tagName: "BODY" },
  ...more,
});

describe("reviewShortcut", () => {
  it("maps y, n, u, j, k and ? to the queue's actions", () => {
    expect(["y", "n", "u", "j", "k", "?"].map((key) => reviewShortcut(press(key)))).toEqual([
      "belongs",
      "not_belongs",
      "undo",
      "next",
      "previous",
      "help",
    ]);
  });

  it("takes a capital letter as the same key (Caps Lock, Shift)", () => {
    expect(reviewShortcut(press("Y"))).toBe("belongs");
  });

  it("leaves keys alone while the reviewer types in a field", () => {
    for (const tagName of ["INPUT", "TEXTAREA", "SELECT"])
      expect(reviewShortcut(press("y", { target: { tagName } }))).toBeNull();
    expect(
      reviewShortcut(press("y", { target: { tagName: "DIV", isContentEditable: true } })),
    ).toBeNull();
  });

  it("leaves the browser's own shortcuts alone (Ctrl+N, Cmd+K, Alt+J)", () => {
    expect(reviewShortcut(press("n", { ctrlKey: true }))).toBeNull();
    expect(reviewShortcut(press("k", { metaKey: true }))).toBeNull();
    expect(reviewShortcut(press("j", { altKey: true }))).toBeNull();
  });

  it("takes a letter of a non-Latin layout by its key's place, as the Latin letter there (Cyrillic н on Y)", () => {
    expect(reviewShortcut(press("н", { code: "KeyY" }))).toBe("belongs");
    expect(reviewShortcut(press("т", { code: "KeyN" }))).toBe("not_belongs");
    expect(reviewShortcut(press("ο", { code: "KeyJ" }))).toBe("next");
    expect(reviewShortcut(press("Л", { code: "KeyK" }))).toBe("previous");
    // A Latin letter is taken as it is, wherever the layout puts it (Dvorak's y is on T); other places are nothing.
    expect(reviewShortcut(press("y", { code: "KeyT" }))).toBe("belongs");
    expect(reviewShortcut(press("x", { code: "KeyY" }))).toBeNull();
    expect(reviewShortcut(press("ф", { code: "KeyA" }))).toBeNull();
    expect(reviewShortcut(press("н", { code: "KeyY", ctrlKey: true }))).toBeNull();
    expect(reviewShortcut(press("н", { code: "KeyY", target: { tagName: "INPUT" } }))).toBeNull();
  });

  it("ignores other keys, and works with focus on a button", () => {
    expect(reviewShortcut(press("x"))).toBeNull();
    expect(reviewShortcut(press("Enter"))).toBeNull();
    expect(reviewShortcut(press("j", { target: { tagName: "BUTTON" } }))).toBe("next");
  });
});
