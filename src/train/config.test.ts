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
