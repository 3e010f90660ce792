import { describe, expect, it } from "vitest";
import { Taxonomy } from "../taxonomy/index.js";
import type { Suggestion } from "./suggestion.js";
import { thresholdedTagger, tuneRankedThreshold } from "./thresholded.js";

describe("tuneRankedThreshold", () => {
  it("tunes on the tags the tagger shows: of tied scores, the first by name, whatever order the model gives", () => {
    const ranked: Suggestion[] = [
      { tag: "keras", score: 0.8, source: "implicit" },
      { tag: "jax", score: 0.8, source: "implicit" },
    ];
    const model = { ranked: () => ranked.map((s) => ({ ...s })) };
    const heldOut = [{ title: "a model", description: "", gold: ["jax"] }];
    const threshold = tuneRankedThreshold(model.ranked, heldOut, 1);
    // At one suggestion the tagger shows jax, a hit: worth suggesting at 0.8.
    expect(threshold).toBe(0.8);
    const tagger = thresholdedTagger(
      "test",
      model,
      threshold,
      Taxonomy.fromLabels(["jax", "keras"]),
    );
    expect(tagger.suggest({ title: "a model" }, { limit: 1 }).map((s) => s.tag)).toEqual(["jax"]);
  });
});
