import { describe, expect, it } from "vitest";
import type { ApiSuggestion } from "../api-types.js";
import { ShownLog } from "./shown-log.js";

const suggestion = (tag: string): ApiSuggestion => ({ tag, score: 0.5, source: "implicit" });

describe("ShownLog", () => {
  it("counts a suggestion shown once per answer, however often it is drawn again", () => {
    const log = new ShownLog();
    log.newAnswer();
    expect(log.fresh([suggestion("pytorch"), suggestion("nlp")]).map((s) => s.tag)).toEqual([
      "pytorch",
      "nlp",
    ]);
    expect(log.fresh([suggestion("pytorch"), suggestion("nlp")])).toEqual([]);
    // A suggestion that came up the list as another was taken is shown for the first time.
    expect(log.fresh([suggestion("nlp"), suggestion("keras")]).map((s) => s.tag)).toEqual([
      "keras",
    ]);
    // By tag key: another spelling of a tag logged is that tag.
    expect(log.fresh([suggestion("Keras")])).toEqual([]);
  });

  it("counts the suggestions of a new answer again", () => {
    const log = new ShownLog();
    log.fresh([suggestion("pytorch")]);
    log.newAnswer();
    expect(log.fresh([suggestion("pytorch")]).map((s) => s.tag)).toEqual(["pytorch"]);
  });

  it("stays quiet after a save until the text changes", () => {
    const log = new ShownLog();
    expect(log.quiet).toBe(false);
    log.newSession("saved text");
    expect(log.quiet).toBe(true);
    log.asked("saved text");
    expect(log.quiet).toBe(true);
    log.asked("saved text, edited");
    expect(log.quiet).toBe(false);
    log.asked("saved text");
    expect(log.quiet).toBe(false);
  });

  it("stays quiet after a save until the author acts on a suggestion, and says that ended it once", () => {
    const log = new ShownLog();
    log.newSession("saved text");
    expect(log.acted()).toBe(true);
    expect(log.quiet).toBe(false);
    expect(log.acted()).toBe(false);
    log.newSession(null);
    expect(log.quiet).toBe(false);
    expect(log.acted()).toBe(false);
  });
});
