import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeText, tagKey, words } from "./normalize.js";

// Characters that interact with normalisation: combining marks, controls, odd spaces, compatibility forms.
const tricky = fc.constantFrom(
  "e",
  "A",
  "\u0301", // combining acute
  "\u0308", // combining diaeresis
  "\u0000",
  "\u0001",
  "\u007f",
  "\u0085",
  "\t",
  "\n",
  "\r",
  " ",
  "\u00a0",
  "\u2003",
  "\u3000",
  "\ufeff",
  "\ufb01", // ﬁ
  "\uff21", // full-width A
  "\u00b4", // acute accent (NFKC: space + combining acute)
  "\u0130", // İ
  "\u01c5", // ǅ
  "\u1100", // Hangul leading consonant
  "\u1161", // Hangul vowel
  "_",
  "-",
  ".",
);
const text = fc.string({
  unit: fc.oneof(tricky, fc.string({ unit: "binary", minLength: 1, maxLength: 1 })),
  maxLength: 30,
});

describe("normalizeText", () => {
  it("applies NFKC: ligatures and full-width forms become plain letters", () => {
    expect(normalizeText("\ufb01ne-tuning")).toBe("fine-tuning");
    expect(normalizeText("\uff30\uff59\uff34\uff4f\uff52\uff43\uff48")).toBe("PyTorch");
    expect(normalizeText("\uff11\uff12\uff13")).toBe("123");
    // composed and decomposed accents compare equal
    expect(normalizeText("cafe\u0301")).toBe(normalizeText("caf\u00e9"));
  });

  it("folds every run of whitespace, including non-breaking spaces and newlines, to one space and trims", () => {
    expect(normalizeText("  deep\u00a0\u00a0learning\r\n\tfor\n\nall  ")).toBe(
      "deep learning for all",
    );
    expect(normalizeText("a\u3000b\u2003c")).toBe("a b c");
    expect(normalizeText(" \n\t ")).toBe("");
  });

  it("drops control characters without leaving a space", () => {
    expect(normalizeText("Py\u0000Torch\u0007 \u001b2\u007f")).toBe("PyTorch 2");
  });

  it("composes a letter and its accent that a dropped control character separated", () => {
    expect(normalizeText("e\u0001\u0301")).toBe("\u00e9");
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(text, (s) => {
        const once = normalizeText(s);
        expect(normalizeText(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it("leaves no control character, no whitespace run and no edge whitespace", () => {
    fc.assert(
      fc.property(text, (s) => {
        const out = normalizeText(s);
        expect(out).not.toMatch(/\p{Cc}/u);
        expect(out).not.toMatch(/\s\s/);
        expect(out).toBe(out.trim());
      }),
      { numRuns: 500 },
    );
  });
});

describe("tagKey", () => {
  it("folds case, hyphens, underscores and spaces into one hyphenated key", () => {
    const key = "natural-language-processing";
    for (const variant of [
      "natural-language-processing",
      "Natural Language Processing",
      "natural_language_processing",
      "Natural Language_Processing",
      "NATURAL--LANGUAGE__PROCESSING",
      "  natural \u00a0language - processing ",
      "natural\nlanguage\tprocessing",
    ]) {
      expect(tagKey(variant), variant).toBe(key);
    }
  });

  it("trims leading and trailing separators and normalises compatibility forms", () => {
    expect(tagKey("--gan__")).toBe("gan");
    // Invisible format characters: a tag that looks like another is that tag.
    expect(tagKey("a\u200bb")).toBe(tagKey("ab"));
    expect(tagKey("Py\u00adTorch")).toBe("pytorch");
    expect(tagKey("_ -")).toBe("");
    expect(tagKey("\uff27\uff21\uff2e")).toBe("gan");
    expect(tagKey("\ufb01ne_tuning")).toBe("fine-tuning");
  });

  it("keeps other punctuation, so distinct tags stay distinct", () => {
    expect(tagKey("C++")).toBe("c++");
    expect(tagKey("c#")).not.toBe(tagKey("c"));
    expect(tagKey("gpt-2")).not.toBe(tagKey("gpt-3"));
  });

  it("puts combining marks in canonical order after lower-casing", () => {
    // "İ" lower-cases to i + U+0307 (class 230), which must then follow the virama U+094D (class 9)
    expect(tagKey("\u0130\u094d")).toBe("i\u094d\u0307");
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(text, (s) => {
        const once = tagKey(s);
        expect(tagKey(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("words", () => {
  it("gives lower-cased runs of letters and digits, splitting on punctuation and spaces", () => {
    expect(words("Fine-tuning BERT, in 3 steps!")).toEqual([
      "fine",
      "tuning",
      "bert",
      "in",
      "3",
      "steps",
    ]);
    expect(words("GPT-2's \u201cmagic\u201d")).toEqual(["gpt", "2", "s", "magic"]);
  });

  it("sees through ligatures, full-width letters and control characters", () => {
    expect(words("\ufb01ne \uff21\uff29 to\u0000ols")).toEqual(["fine", "ai", "tools"]);
  });

  it("keeps letters from any script whole, with their combining marks", () => {
    expect(words("Caf\u00e9 cafe\u0301")).toEqual(["caf\u00e9", "caf\u00e9"]);
    expect(words("\u0939\u093f\u0928\u094d\u0926\u0940 \u092d\u093e\u0937\u093e")).toEqual([
      "\u0939\u093f\u0928\u094d\u0926\u0940",
      "\u092d\u093e\u0937\u093e",
    ]);
    expect(words("\u6df1\u5ea6\u5b66\u4e60")).toEqual(["\u6df1\u5ea6\u5b66\u4e60"]);
  });

  it("gives nothing for text without letters or digits", () => {
    expect(words("")).toEqual([]);
    expect(words(" -- !? \u00a0")).toEqual([]);
  });
});
