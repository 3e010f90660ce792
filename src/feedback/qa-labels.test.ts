// QA'd labels as a dataset: decisions applied to final tags, the latest one standing, provenance beside it.

import { describe, expect, it } from "vitest";
import type { Content, QaLabel } from "../store/index.js";
import { provenanceFile, qaDataset } from "./qa-labels.js";

const content = (id: number, tags: string[]): Content => ({
  id,
  title: `title ${id}`,
  description: `description ${id}`,
  tags,
  unapprovedTags: ["not-approved"],
  author: "ada",
  version: 1,
  createdAt: "2024-05-01T10:00:00.000Z",
  updatedAt: "2024-05-02T10:00:00.000Z",
});

let next = 0;
const label = (contentId: number, tag: string, applies: boolean, decidedAt: string): QaLabel => ({
  contentId,
  tag,
  applies,
  reviewer: "rita",
  decidedAt,
  rule: "possible_miss",
  itemId: ++next,
  note: null,
});

describe("qaDataset", () => {
  it("labels content with its final tags plus those decided to apply, minus those decided not to", () => {
    const { items, provenance } = qaDataset(
      [content(2, ["a", "b"]), content(1, ["c"]), content(3, ["d"])],
      [
        label(2, "b", false, "2024-06-01T00:00:00.000Z"),
        label(2, "e", true, "2024-06-02T00:00:00.000Z"),
        label(1, "c", true, "2024-06-03T00:00:00.000Z"),
      ],
    );
    expect(items).toEqual([
      {
        id: "qa-1",
        createdOn: "2024-05-01T10:00:00.000Z",
        title: "title 1",
        description: "description 1",
        tags: ["c"],
      },
      {
        id: "qa-2",
        createdOn: "2024-05-01T10:00:00.000Z",
        title: "title 2",
        description: "description 2",
        tags: ["a", "e"],
      },
    ]);
    expect(provenance.map((p) => [p.content_id, p.tag, p.applies, p.reviewer, p.rule])).toEqual([
      [1, "c", true, "rita", "possible_miss"],
      [2, "b", false, "rita", "possible_miss"],
      [2, "e", true, "rita", "possible_miss"],
    ]);
  });

  it("lets the latest decision on a tag stand, and skips content the store no longer has", () => {
    const { items, provenance } = qaDataset(
      [content(1, ["a"])],
      [
        label(1, "a", true, "2024-06-02T00:00:00.000Z"),
        label(1, "a", false, "2024-06-01T00:00:00.000Z"),
        label(9, "a", true, "2024-06-01T00:00:00.000Z"),
      ],
    );
    expect(items.map((i) => i.tags)).toEqual([["a"]]);
    expect(provenance).toHaveLength(1);
    expect(provenance[0]).toMatchObject({ applies: true, decided_at: "2024-06-02T00:00:00.000Z" });
  });

  it("puts the provenance beside the dataset", () => {
    expect(provenanceFile("/x/qa.json")).toBe("/x/qa.provenance.json");
    expect(provenanceFile("qa.jsonl")).toBe("qa.provenance.json");
    expect(provenanceFile("labels")).toBe("labels.provenance.json");
  });
});
