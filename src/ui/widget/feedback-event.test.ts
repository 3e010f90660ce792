import { describe, expect, it } from "vitest";
import { MAX_AUTHOR_TAGS, MAX_TAG_CHARS } from "../../serve/limits.js";
import { type EventContext, feedbackEvent, shownHappening } from "./feedback-event.js";

const now = () => Date.UTC(2026, 2, 1, 10, 0, 0);
const id = () => "event-1";
const model = { id: "m-1", version: "2026-02-28T00:00:00.000Z" };
const context = (contentId: string | null, answered = true): EventContext => ({
  session: "session-1",
  contentId,
  answer: answered ? { requestId: "request-1", model } : null,
});

describe("feedbackEvent", () => {
  it("says when, in which session, on which content and for which answer it happened", () => {
    expect(feedbackEvent({ type: "accepted", tag: "pytorch" }, context("42"), now, id)).toEqual({
      id: "event-1",
      occurred_at: "2026-03-01T10:00:00.000Z",
      session: "session-1",
      content_id: 42,
      request_id: "request-1",
      model,
      type: "accepted",
      tag: "pytorch",
    });
  });

  it("leaves out a content id the store cannot have, and an answer that is gone", () => {
    for (const contentId of [null, "", "draft-7", "1234567890123456789", "0"]) {
      const event = feedbackEvent(
        { type: "reported", tag: "pytorch", reason: "wrong" },
        context(contentId, false),
        now,
        id,
      );
      expect(event).toEqual({
        id: "event-1",
        occurred_at: "2026-03-01T10:00:00.000Z",
        session: "session-1",
        type: "reported",
        tag: "pytorch",
        reason: "wrong",
      });
    }
  });

  it("gives every event its own id by default", () => {
    const event = () => feedbackEvent({ type: "accepted", tag: "nlp" }, context("42"));
    expect(event().id).not.toBe(event().id);
  });
});

describe("shownHappening", () => {
  it("sends of each suggestion only its tag, score and source, and the latency only when measured", () => {
    const fresh = [
      {
        tag: "pytorch",
        score: 0.9,
        source: "explicit" as const,
        category: "Frameworks",
        evidence: [{ field: "title" as const, text: "PyTorch", start: 0, end: 7 }],
      },
    ];
    expect(shownHappening(fresh, ["nlp"], 120)).toEqual({
      type: "shown",
      suggestions: [{ tag: "pytorch", score: 0.9, source: "explicit" }],
      latency_ms: 120,
      chosen: ["nlp"],
    });
    expect(shownHappening(fresh, [])).not.toHaveProperty("latency_ms");
  });

  it("sends the chosen tags as the service takes them", () => {
    const tooLong = "x".repeat(MAX_TAG_CHARS + 1);
    const many = Array.from({ length: MAX_AUTHOR_TAGS + 5 }, (_, i) => `tag-${i}`);
    const { chosen } = shownHappening([], [tooLong, ...many]) as { chosen: string[] };
    expect(chosen).toEqual(many.slice(0, MAX_AUTHOR_TAGS));
  });
});
