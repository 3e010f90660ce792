import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldPlural, tokenize } from "./tokens.js";

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
      ),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (text) => {
        const expected = [...text.matchAll(/[\p{L}\p{N}][\p{L}\p{M}\p{N}]*[+#]*/gu)].map((m) => ({
          key: foldPlural(m[0].normalize("NFKC").toLowerCase()),
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
