import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeText } from "../text/index.js";
import { KeywordModel, type KeywordState, keywordsOf, trainKeywordModel } from "./keywords.js";
import type { ContentInput } from "./suggestion.js";

/**
 * The scores KeywordModel.scores should give, from the keyword strings training counts (keywordsOf): the reference
 * for its path over a word-gram index, which builds no strings. The noisy-or multiplies in keywordsOf's order.
 */
function referenceScores(state: KeywordState, content: ContentInput) {
  const { tags, prior, keywords, itemsWithKeyword, offsets, tagIds, hits, config } = state;
  const position = new Map(keywords.map((k, w) => [k, w]));
  const best = new Float64Array(tags.length);
  const miss = new Float64Array(tags.length).fill(1);
  for (const keyword of keywordsOf(content)) {
    const w = position.get(keyword);
    if (w === undefined) continue;
    for (let k = offsets[w]; k < offsets[w + 1]; k++) {
      const t = tagIds[k];
      const p = (hits[k] + config.smoothing * prior[t]) / (itemsWithKeyword[w] + config.smoothing);
      best[t] = Math.max(best[t], p);
      miss[t] *= 1 - p;
    }
  }
  return { best, noisyOr: miss.map((m) => 1 - m) };
}

describe("KeywordModel.scores", () => {
  // Few distinct words, so training texts share keywords and suggested texts find them; "Nets" and "net" fold alike.
  const word = fc.constantFrom(
    "deep",
    "learning",
    "nets",
    "Nets",
    "net",
    "gan",
    "bert",
    "yolo",
    "a",
  );
  const text = fc.array(word, { maxLength: 12 }).map((words) => words.join(" "));
  const item = fc.record({
    title: text,
    description: text,
    gold: fc.uniqueArray(fc.constantFrom("cv", "nlp", "gan", "rl"), { minLength: 1 }),
  });

  it("gives exactly the scores of the keywords training counts (keywordsOf), to the last bit", () => {
    fc.assert(
      fc.property(
        fc.array(item, { minLength: 1, maxLength: 15 }),
        fc.record({ title: text, description: text }),
        (items, content) => {
          const state = trainKeywordModel(items, { minCount: 1, maxShare: 1, smoothing: 2 });
          const scores = new KeywordModel(state).scores(content);
          const expected = referenceScores(state, content);
          expect(scores.best).toEqual(expected.best);
          expect(scores.noisyOr).toEqual(expected.noisyOr);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("KeywordModel.scores of text as typed", () => {
  it("scores the words training counts of the same text, whatever normalising changes", () => {
    const piece = fc.constantFrom(
      "deep ",
      "abcd ",
      "ab\u0000cd ",
      "\ufb01ne ",
      "fine ",
      "\u00bd ",
      "1/2 ",
      "\u2121 ",
      "tel ",
    );
    const text = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(""));
    const item = fc.record({
      title: text.map(normalizeText),
      description: text.map(normalizeText),
      gold: fc.uniqueArray(fc.constantFrom("cv", "nlp"), { minLength: 1 }),
    });
    fc.assert(
      fc.property(
        fc.array(item, { minLength: 1, maxLength: 10 }),
        text,
        text,
        (items, title, description) => {
          const model = new KeywordModel(
            trainKeywordModel(items, { minCount: 1, maxShare: 1, smoothing: 2 }),
          );
          const asLoaded = { title: normalizeText(title), description: normalizeText(description) };
          expect(model.scores({ title, description })).toEqual(model.scores(asLoaded));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("trainKeywordModel", () => {
  it("counts a tag listed twice in an item once: P(tag | keyword) never passes 1", () => {
    const items = [
      ...Array.from({ length: 4 }, () => ({
        title: "camera",
        description: "",
        gold: ["cv", "cv"],
      })),
      ...Array.from({ length: 4 }, () => ({ title: "words", description: "", gold: ["nlp"] })),
    ];
    const state = trainKeywordModel(items, { minCount: 1, maxShare: 1, smoothing: 2 });
    const cv = state.tags.indexOf("cv");
    expect(state.prior[cv]).toBeCloseTo(0.5, 6);
    // 4 of the 4 items with "camera" carry cv, pulled towards its prior 1/2 by a pseudo-count of 2: (4 + 1) / (4 + 2).
    expect(new KeywordModel(state).scores({ title: "camera" }).best[cv]).toBeCloseTo(5 / 6, 6);
  });
});
