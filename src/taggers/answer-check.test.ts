import { describe, expect, it } from "vitest";
import { Taxonomy } from "../taxonomy/index.js";
import { answerProblem } from "./answer-check.js";
import type { Suggestion } from "./suggestion.js";

const taxonomy = new Taxonomy([
  { tag: "nlp", aliases: ["natural language processing"], parents: [] },
  { tag: "pytorch", aliases: [], parents: [] },
  { tag: "vision", aliases: [], parents: [] },
]);
const s = (tag: string, score: number): Suggestion => ({ tag, score, source: "implicit" });

describe("answerProblem", () => {
  it("finds nothing wrong with approved tags, best first, within the limit", () => {
    expect(answerProblem([s("nlp", 0.9), s("pytorch", 0.9), s("vision", 0)], taxonomy, 3)).toBe(
      undefined,
    );
    expect(answerProblem([], taxonomy, 0)).toBe(undefined);
  });

  it.each([
    ["more than the limit", [s("nlp", 0.9), s("vision", 0.5)], 1, "2 suggestions where at most 1"],
    ["an unapproved tag", [s("keras", 0.9)], 5, 'the tag "keras", which is not approved'],
    ["a tag twice", [s("nlp", 0.9), s("nlp", 0.5)], 5, "nlp twice"],
    ["a score that is not a number", [s("nlp", Number.NaN)], 5, "nlp scored NaN"],
    ["a score over 1", [s("nlp", 1.5)], 5, "nlp scored 1.5, not a number from 0 to 1"],
    ["a negative score", [s("nlp", -0.1)], 5, "nlp scored -0.1"],
    [
      "worse before better",
      [s("nlp", 0.2), s("vision", 0.7)],
      5,
      "vision (0.7) ranked below a lower score",
    ],
  ])("names %s", (_case, answer, limit, problem) => {
    expect(answerProblem(answer, taxonomy, limit)).toContain(problem);
  });

  it("names a tag the author chose, chosen by an alias in another case", () => {
    const answer = [s("vision", 0.9), s("nlp", 0.5)];
    expect(answerProblem(answer, taxonomy, 5, ["Natural Language Processing"])).toBe(
      "nlp, which the author chose",
    );
    expect(answerProblem(answer, taxonomy, 5, ["pytorch"])).toBe(undefined);
  });

  it("names a chosen tag as it was sent, where its spelling resolves to another approved tag", () => {
    // Approved lists taken from the data's labels can hold two spellings of one key; suggestions leave out both.
    const twoSpellings = Taxonomy.fromLabels(["PyTorch", "pytorch"]);
    expect(twoSpellings.resolve("PyTorch")).toBe("pytorch");
    expect(answerProblem([s("PyTorch", 0.9)], twoSpellings, 5, ["PyTorch"])).toBe(
      "PyTorch, which the author chose",
    );
  });
});
