import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tokenize } from "../text/index.js";
import { cutBefore, learnedInput, learnedText, tokenizeInput } from "./input.js";
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

describe("cutBefore", () => {
  it("keeps a text within the limit as it is", () => {
    expect(cutBefore("NLP and more", 12)).toBe("NLP and more");
  });

  it("leaves out the token the limit falls in, so no part of a word is read as a word", () => {
    expect(cutBefore("about NLPx", 9)).toBe("about ");
    expect(cutBefore("about NLP x", 9)).toBe("about NLP");
    expect(cutBefore("c++ and c++", 10)).toBe("c++ and ");
    expect(cutBefore("a".repeat(20), 10)).toBe("");
  });

  it("never splits a surrogate pair, in a token or between tokens", () => {
    expect(cutBefore("a \u{1F600}\u{1F600}", 3)).toBe("a ");
    expect(cutBefore("x \u{1D400}\u{1D400}", 5)).toBe("x ");
  });

  it("gives a prefix within the limit whose tokens are tokens of the whole text", () => {
    fc.assert(
      fc.property(field, fc.nat({ max: 30 }), (text, limit) => {
        const cut = cutBefore(text, limit);
        expect(cut.length).toBeLessThanOrEqual(limit);
        expect(text.startsWith(cut)).toBe(true);
        const whole = new Set(tokenize(text).map((t) => `${t.start}:${t.end}`));
        for (const token of tokenize(cut))
          expect(whole.has(`${token.start}:${token.end}`)).toBe(true);
      }),
    );
  });
});
