import { describe, expect, it } from "vitest";
import type { ApiSuggestion } from "../api-types.js";
import {
  describeEvidence,
  groupByCategory,
  needsNewSuggestions,
  newlyChosen,
  shortlist,
} from "./shortlist.js";

const suggestion = (
  tag: string,
  score: number,
  fields: Partial<ApiSuggestion> = {},
): ApiSuggestion => ({
  tag,
  score,
  source: "implicit",
  ...fields,
});

const answer = [
  suggestion("pytorch", 0.95, { source: "explicit", category: "framework" }),
  suggestion("natural-language-processing", 0.9, { category: "task" }),
  suggestion("transformers", 0.8, { category: "method" }),
  suggestion("huggingface", 0.7, { category: "framework" }),
  suggestion("attention", 0.6, { category: "method" }),
  suggestion("deep-learning", 0.5),
];

describe("shortlist", () => {
  it("shows the first `limit` suggestions, best first", () => {
    expect(shortlist(answer, [], new Set(), 3).map((s) => s.tag)).toEqual([
      "pytorch",
      "natural-language-processing",
      "transformers",
    ]);
  });

  it("leaves out chosen tags in any spelling and refills from the spares", () => {
    const shown = shortlist(answer, ["PyTorch", "Natural Language Processing"], new Set(), 3);
    expect(shown.map((s) => s.tag)).toEqual(["transformers", "huggingface", "attention"]);
  });

  it("leaves out a tag chosen by one of its aliases, in any spelling", () => {
    const withAlias = [
      suggestion("natural-language-processing", 0.9, { aliases: ["nlp", "nlproc"] }),
      suggestion("transformers", 0.8),
    ];
    expect(shortlist(withAlias, [" NLProc"], new Set(), 5).map((s) => s.tag)).toEqual([
      "transformers",
    ]);
  });

  it("leaves out hidden (reported or accepted) tags", () => {
    expect(shortlist(answer, [], new Set(["transformers"]), 3).map((s) => s.tag)).not.toContain(
      "transformers",
    );
  });

  it("never shows more than there are", () => {
    expect(shortlist(answer, [], new Set(), 20)).toHaveLength(answer.length);
  });
});

describe("needsNewSuggestions", () => {
  it("is false when every newly chosen tag is a suggestion by name (a local re-filter is enough)", () => {
    expect(needsNewSuggestions([" PyTorch"], answer)).toBe(false);
  });

  it("is true when a newly chosen tag is none of them: it may be an alias only the service knows", () => {
    expect(needsNewSuggestions(["torch"], answer)).toBe(true);
  });

  it("is false when a newly chosen tag is a suggestion's alias: the service sent the aliases", () => {
    const withAlias = [suggestion("natural-language-processing", 0.9, { aliases: ["nlp"] })];
    expect(needsNewSuggestions(["NLP"], withAlias)).toBe(false);
  });

  it("is false when nothing was newly chosen", () => {
    expect(needsNewSuggestions([], answer)).toBe(false);
  });
});

describe("newlyChosen", () => {
  it("lists the tags chosen since, ignoring a change of spelling", () => {
    expect(newlyChosen(["pytorch"], ["PyTorch", "nlp"])).toEqual(["nlp"]);
  });
});

describe("groupByCategory", () => {
  it("orders groups by their best score and keeps suggestions best first inside", () => {
    const groups = groupByCategory(answer);
    expect(groups.map((g) => g.category)).toEqual(["framework", "task", "method", null]);
    expect(groups[0].suggestions.map((s) => s.tag)).toEqual(["pytorch", "huggingface"]);
  });

  it("makes one group without a heading when no suggestion has a category", () => {
    const groups = groupByCategory([suggestion("a", 0.5), suggestion("b", 0.4)]);
    expect(groups).toEqual([
      { category: null, suggestions: [suggestion("a", 0.5), suggestion("b", 0.4)] },
    ]);
  });

  it("places a group by its best member, not its first", () => {
    const groups = groupByCategory([
      suggestion("a", 0.3, { category: "x" }),
      suggestion("b", 0.5, { category: "y" }),
      suggestion("c", 0.9, { category: "x" }),
    ]);
    expect(groups.map((g) => g.category)).toEqual(["x", "y"]);
  });
});

describe("describeEvidence", () => {
  it("says which words matched in which field", () => {
    const s = suggestion("pytorch", 0.9, {
      source: "explicit",
      evidence: [{ field: "title", text: "PyTorch", start: 0, end: 7 }],
    });
    expect(describeEvidence(s)).toBe('matched "\u2068PyTorch\u2069" in title');
  });

  it("says each match once and summarises many", () => {
    const evidence = ["a", "A", "b", "c", "d"].map((text, i) => ({
      field: "description" as const,
      text,
      start: i,
      end: i + 1,
    }));
    expect(describeEvidence(suggestion("x", 0.5, { evidence }))).toBe(
      'matched "\u2068a\u2069" in description, "\u2068b\u2069" in description, "\u2068c\u2069" in description and 1 more',
    );
  });

  it("is null without evidence", () => {
    expect(describeEvidence(suggestion("x", 0.5))).toBeNull();
  });
});
