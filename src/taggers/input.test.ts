import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tokenize } from "../text/index.js";
import { learnedInput, learnedText, tokenizeInput } from "./input.js";
import type { ContentInput } from "./suggestion.js";

/** What training reads of a text: learnedText, tokenized as the vectorizer tokenizes it. */
const asTrainingReadsIt = (content: ContentInput) => {
  const text = learnedText(content);
  return { text, keys: tokenize(text).map((token) => token.key) };
};

// Characters whose normalisation changes how a text splits into words, among plain letters, digits and spaces.
const tricky = fc.constantFrom(
  "a",
  "B",
  "7",
  " ",
  "\n",
  "\u00a0",
  ".",
  "\u0000", // a control character inside a word: dropped, the word joined
  "\u0007",
  "\u00bd", // ½: one token as typed, the words 1 and 2 normalised
  "\u2474", // ⑴
  "\u2121", // ℡: no token as typed, the word "tel" normalised
  "\ufb01", // ﬁ
  "\uff21", // full-width A
  "\u0301", // combining acute
  "\u00e9", // é
  "\u201c", // a curly quote: not ASCII, left as it is
  "+",
);
const field = fc.string({
  unit: fc.oneof(tricky, fc.string({ unit: "binary", minLength: 1, maxLength: 1 })),
  maxLength: 24,
});

describe("learnedInput", () => {
  it("gives the words training reads of the same text, whatever normalising changes", () => {
    for (const title of ["ab\u0000cd", "\u00bd precision", "\u2121 test", "\u2474 item"]) {
      expect(learnedInput({ title })).toEqual(asTrainingReadsIt({ title }));
    }
    fc.assert(
      fc.property(field, field, (title, description) => {
        const content = { title, description };
        expect(learnedInput(content)).toEqual(asTrainingReadsIt(content));
        expect(learnedInput(tokenizeInput(content))).toEqual(asTrainingReadsIt(content));
      }),
      { numRuns: 2000 },
    );
  });
});
