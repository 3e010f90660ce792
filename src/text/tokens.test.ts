import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cutBefore, foldPlural, tokenize } from "./tokens.js";

describe("tokenize", () => {
  it("keys each token by its NFKC, lower-cased, plural-folded text (ASCII tokens skip the normaliser)", () => {
    const unit = fc.oneof(
      fc.constantFrom(
        "a",
        "S",
        "s",
        "1",
        "+",
        "#",
        " ",
        "-",
        ".",
        "\u00e9",
        "e\u0301",
        "\ufb01",
        "\uff21",
        "\u037a",
        "\u00ad",
        "\u200b",
      ),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        const invisible = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
        const word = /[\p{L}\p{N}](?:[\u00ad\u200b-\u200d\u2060\ufeff]*[\p{L}\p{M}\p{N}])*[+#]*/gu;
        const expected = [...text.matchAll(word)].map((m) => ({
          key: foldPlural(m[0].replace(invisible, "").normalize("NFKC").toLowerCase()),
          start: m.index,
          end: m.index + m[0].length,
        }));
        expect(tokenize(text)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps combining marks in their word: a decomposed accent, Devanagari vowel signs", () => {
    expect(tokenize("nai\u0308ve Bayes").map((t) => t.key)).toEqual(["na\u00efve", "baye"]);
    expect(
      tokenize("\u0939\u093f\u0928\u094d\u0926\u0940 text").map((t) => [t.start, t.end]),
    ).toEqual([
      [0, 6],
      [7, 11],
    ]);
  });

  it("reads a word with a soft hyphen or zero-width character inside as the word, over its whole span", () => {
    expect(tokenize("Py\u00adTorch and Tensor\u200bFlow")).toEqual([
      { key: "pytorch", start: 0, end: 8 },
      { key: "and", start: 9, end: 12 },
      { key: "tensorflow", start: 13, end: 24 },
    ]);
    // Outside a word they belong to none.
    expect(tokenize("DeltaPy\u2060\u2060 \u00adx")).toEqual([
      { key: "deltapy", start: 0, end: 7 },
      { key: "x", start: 11, end: 12 },
    ]);
  });

  it("splits on hyphens and punctuation and keeps c++ and c# whole", () => {
    expect(tokenize("GPT-2 in C++ and C#, Transformers").map((t) => t.key)).toEqual([
      "gpt",
      "2",
      "in",
      "c++",
      "and",
      "c#",
      "transformer",
    ]);
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
    const unit = fc.oneof(
      fc.constantFrom("a", "7", " ", "+", "#", "-", "\u0301", "\u{1F600}", "\u{1D400}"),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 24 }), fc.nat({ max: 30 }), (text, limit) => {
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
