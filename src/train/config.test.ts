// The training config as a specification: option ranges checked with a message naming the field, and an unknown
// tagger blamed on where it was named (the config file or the option) with the taggers to choose from.

import { describe, expect, it } from "vitest";
import { TAGGER_KINDS } from "../taggers/index.js";
import { namedTagger, parseTrainConfig } from "./config.js";

/** A TagsmithError with this code and exactly this message. */
const tagsmithError = (code: string, message: string) =>
  expect.objectContaining({ name: "TagsmithError", code, message });

const taggers = Object.keys(TAGGER_KINDS).join(", ");

describe("n-gram options", () => {
  it("accepts min equal to max", () => {
    const words = { min: 2, max: 2, minDf: 1 };
    expect(parseTrainConfig({ options: { linear: { words } } }).options.linear?.words).toEqual(
      words,
    );
  });

  it("fills the keys a block leaves out from the tagger's own default block, and records the whole block", () => {
    // kNN's own words block; its characters, off by default, the linear tagger's. maxDf is never filled: without it
    // there is no cap, as a block giving every other key has always meant (kNN's default words have 0.1).
    for (const [tagger, field, given, filled] of [
      ["linear", "words", { min: 1, max: 3 }, { min: 1, max: 3, minDf: 2 }],
      ["linear", "chars", { minDf: 5 }, { min: 3, max: 5, minDf: 5 }],
      ["knn", "words", { max: 3 }, { min: 1, max: 3, minDf: 1 }],
      ["knn", "chars", { min: 2 }, { min: 2, max: 5, minDf: 3 }],
      ["knn", "words", { maxDf: 0.5 }, { min: 1, max: 2, minDf: 1, maxDf: 0.5 }],
    ] as const) {
      const { options } = parseTrainConfig({ options: { [tagger]: { [field]: given } } });
      expect(options[tagger]?.[field], `${tagger}.${field}`).toEqual(filled);
    }
    // A manifest's config, parsed again by models reproduce, is the same config.
    const once = parseTrainConfig({ options: { linear: { words: { max: 3 } } } });
    expect(parseTrainConfig(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });

  it("names a default that is above a max given, and the fields of a block with an unknown one", () => {
    expect(() =>
      parseTrainConfig({ options: { linear: { chars: { max: 2 } } } }, "train.json"),
    ).toThrow(
      tagsmithError(
        "invalid_input",
        "train.json: bad training config: options.linear.chars: min 3 (the default) is greater than max 2: n-gram lengths run from min to max, give min <= max",
      ),
    );
    expect(() =>
      parseTrainConfig({ options: { knn: { words: { mindf: 2 } } } }, "train.json"),
    ).toThrow(
      tagsmithError(
        "invalid_input",
        'train.json: bad training config: options.knn.words: unknown field "mindf": the fields here are min, max, minDf, maxDf; check the spelling, or remove it',
      ),
    );
  });

  it("refuses min above max, which would train an empty model, naming the field", () => {
    for (const [tagger, field] of [
      ["linear", "words"],
      ["linear", "chars"],
      ["knn", "words"],
    ] as const) {
      const config = { options: { [tagger]: { [field]: { min: 3, max: 2, minDf: 1 } } } };
      expect(() => parseTrainConfig(config, "train.json")).toThrow(
        tagsmithError(
          "invalid_input",
          `train.json: bad training config: options.${tagger}.${field}: min 3 is greater than max 2: n-gram lengths run from min to max, give min <= max`,
        ),
      );
    }
  });
});

describe("options that would train a model of nothing", () => {
  it("refuses out-of-range numbers and a vectorizer without features, naming the field", () => {
    for (const [options, problem] of [
      [{ linear: { C: 1e308 } }, "options.linear.C: Too big: expected number to be <=1000000"],
      [
        { linear: { naiveBayes: 1e-320 } },
        "options.linear.naiveBayes: Too small: expected number to be >=0.001",
      ],
      ...(["linear", "knn"] as const).map(
        (tagger) =>
          [
            { [tagger]: { words: null, chars: null } },
            `options.${tagger}: words and chars are both null: the model would have no features at all; keep one of them`,
          ] as const,
      ),
    ] as const) {
      expect(() => parseTrainConfig({ options }, "train.json")).toThrow(
        tagsmithError("invalid_input", `train.json: bad training config: ${problem}`),
      );
    }
    // kNN reads no characters by default: its words alone off leave it nothing.
    expect(() => parseTrainConfig({ options: { knn: { words: null } } }, "train.json")).toThrow(
      tagsmithError(
        "invalid_input",
        "train.json: bad training config: options.knn: words is null and chars is off by default: the model would have no features at all; keep one of them",
      ),
    );
    expect(parseTrainConfig({ options: { linear: { words: null } } }).options.linear).toEqual({
      words: null,
    });
  });

  it("says where tagger options go when they are at the top", () => {
    expect(() => parseTrainConfig({ linear: { C: 1 } }, "train.json")).toThrow(
      tagsmithError(
        "invalid_input",
        `train.json: bad training config: unknown field "linear": the fields here are tagger, limit, options; check the spelling, or remove it; tagger options go under "options", as {"options": {"linear": ...}}`,
      ),
    );
  });
});

describe("tagger names", () => {
  it("blames an unknown tagger in a config file on that file, listing the taggers", () => {
    expect(() => parseTrainConfig({ tagger: "magic" }, "train.json")).toThrow(
      tagsmithError(
        "invalid_input",
        `train.json: unknown tagger "magic": choose one of ${taggers}`,
      ),
    );
  });

  it("blames an unknown tagger given with an option on the option, listing the taggers", () => {
    for (const name of ["magic", "toString", "__proto__"])
      expect(() => namedTagger(name, { option: "--tagger" })).toThrow(
        tagsmithError("usage", `--tagger: unknown tagger "${name}": choose one of ${taggers}`),
      );
    expect(namedTagger("rules", { option: "--tagger" }).name).toBe("rules");
  });
});
