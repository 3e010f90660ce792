import { describe, expect, it } from "vitest";
import type { ReviewItem } from "./admin-types.js";
import { ruleLabel, whyQueued } from "./review-reasons.js";

const item = (over: Partial<ReviewItem>): ReviewItem => ({
  id: 1,
  content_id: 2,
  title: "t",
  description: "",
  tag: "pytorch",
  rule: "report",
  score: null,
  reason: null,
  comment: null,
  created_at: "2026-05-01T10:00:00Z",
  applies: null,
  reviewer: null,
  note: null,
  decided_at: null,
  ...over,
});

describe("whyQueued", () => {
  it("says a report's reason in words", () => {
    const why = whyQueued(item({ rule: "report", reason: "not_relevant", score: 0.4 }));
    expect(why.map((line) => line.term)).toEqual(["Why", "Model score", "Report reason", "Queued"]);
    expect(why[0].detail).toMatch(/reported/);
    expect(why[1].detail).toBe("0.400");
    expect(why[2].detail).toBe("not relevant");
  });

  it("shows the author's comment on a report, as the author wrote it", () => {
    const why = whyQueued(
      item({ rule: "report", reason: "other", comment: "  It is about <b>audio</b>\n" }),
    );
    expect(why.map((line) => line.term)).toEqual([
      "Why",
      "Report reason",
      "Author's comment",
      "Queued",
    ]);
    expect(why[2]).toEqual({
      term: "Author's comment",
      detail: "It is about <b>audio</b>",
      authored: true,
    });
    expect(whyQueued(item({ reason: "other", comment: " " })).map((l) => l.term)).not.toContain(
      "Author's comment",
    );
  });

  it("says a possible miss is a tag the author chose and the model never suggested", () => {
    const why = whyQueued(item({ rule: "possible_miss" }));
    expect(why.map((line) => line.term)).toEqual(["Why", "Queued"]);
    expect(why[0].detail).toMatch(/author chose/);
    expect(why[0].detail).toMatch(/never/);
  });

  it("leaves out what the item does not have", () => {
    expect(whyQueued(item({ rule: "sampled" })).map((line) => line.term)).toEqual([
      "Why",
      "Queued",
    ]);
  });

  it("still says something for a rule a newer service added", () => {
    expect(ruleLabel("low_agreement")).toBe("low agreement");
  });
});
