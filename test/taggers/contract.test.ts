// The contract every tagger keeps, run against each one (like Hono's shared router suite): approved tags only,
// never more than the limit, never a tag the author chose (by name or alias, any case), the same output for the same
// input, scores in 0..1, evidence that points at the matched text.

import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  answerProblem,
  MAX_EVIDENCE_SPANS,
  TAGGER_KINDS,
  type Tagger,
} from "../../src/taggers/index.js";
import type { Taxonomy } from "../../src/taxonomy/index.js";
import { trainingItems, trainTagger } from "../../src/train/index.js";
import { loadSample } from "../support/sample.js";

const texts = fc.record({
  title: fc.oneof(
    fc.string({ maxLength: 80 }),
    fc.constantFrom("PyTorch GANs for image segmentation", "NLP with BERT"),
  ),
  description: fc.oneof(fc.string({ maxLength: 200 }), fc.lorem({ maxCount: 30 })),
});

describe.each(Object.keys(TAGGER_KINDS))("tagger %s", (name) => {
  let tagger: Tagger;
  let taxonomy: Taxonomy;
  let someTitles: string[];

  beforeAll(async () => {
    const sample = await loadSample();
    taxonomy = sample.taxonomy;
    someTitles = sample.items.slice(0, 20).map((i) => `${i.title}. ${i.description}`);
    const kind = TAGGER_KINDS[name];
    if (!kind) throw new Error(`no tagger ${name}`);
    const trained = await trainTagger(
      kind,
      sample.items,
      { taxonomy, seed: 7, workers: 1 },
      { limit: 5, singleLabel: false },
    );
    tagger = kind.create(trained.state, taxonomy);
    expect(trainingItems(sample.items, taxonomy).length).toBeGreaterThan(50);
  });

  it("suggests only approved tags, at most the limit, scores in 0..1, best first", () => {
    fc.assert(
      fc.property(texts, fc.integer({ min: 0, max: 12 }), (content, limit) => {
        // The rules once, in answerProblem (the service checks a model's warm-up answers with it), itself tested
        // rule by rule in src/taggers/answer-check.test.ts.
        const suggestions = tagger.suggest(content, { limit, minScore: 0 });
        expect(answerProblem(suggestions, taxonomy, limit)).toBe(undefined);
      }),
      { numRuns: 60 },
    );
  });

  it("never suggests a tag the author chose, whatever its spelling", () => {
    for (const text of someTitles) {
      const content = { title: text };
      const before = tagger.suggest(content, { limit: 10, minScore: 0 });
      if (before.length === 0) continue;
      const chosen = before.slice(0, 2).map((s) => s.tag);
      const spelled = chosen.map((tag, i) => {
        const alias = taxonomy.get(tag)?.aliases[0];
        return i === 0 && alias ? alias.toUpperCase() : tag.replace(/-/g, " ").toUpperCase();
      });
      const after = tagger.suggest(content, { limit: 10, minScore: 0, exclude: spelled });
      for (const tag of chosen) expect(after.map((s) => s.tag)).not.toContain(tag);
      expect(answerProblem(after, taxonomy, 10, spelled)).toBe(undefined);
    }
  });

  it("gives the same output for the same input", () => {
    for (const text of someTitles) {
      expect(tagger.suggest({ title: text })).toEqual(tagger.suggest({ title: text }));
    }
  });

  it("answers empty content with an empty list or baseline guesses, never an error", () => {
    expect(() => tagger.suggest({ title: "", description: "" })).not.toThrow();
  });

  it("answers megabytes of text, or one repeated character, without failing", () => {
    const huge = "deep learning ".repeat(200_000);
    expect(() => tagger.suggest({ title: "x".repeat(100_000), description: huge })).not.toThrow();
  });

  it("points explicit evidence at the matched text", () => {
    for (const text of someTitles) {
      for (const s of tagger.suggest({ title: text }, { limit: 10, minScore: 0 })) {
        if (s.source !== "explicit") continue;
        expect(s.evidence?.length).toBeGreaterThan(0);
        for (const e of s.evidence ?? []) expect(text.slice(e.start, e.end)).toBe(e.text);
      }
    }
  });

  it(`keeps at most ${MAX_EVIDENCE_SPANS} evidence spans per suggestion, the first occurrences`, () => {
    // ~1,250 mentions in the part of the description taggers read.
    const content = { title: "PyTorch in practice", description: "pytorch ".repeat(2_000) };
    for (const s of tagger.suggest(content, { limit: 10, minScore: 0 })) {
      expect(s.evidence?.length ?? 0).toBeLessThanOrEqual(MAX_EVIDENCE_SPANS);
      if (s.tag !== "pytorch" || s.source !== "explicit") continue;
      const span = (field: string, start: number) => ({
        field,
        text: field === "title" ? "PyTorch" : "pytorch",
        start,
        end: start + 7,
      });
      expect(s.evidence).toEqual([
        span("title", 0),
        ...[0, 8, 16, 24].map((start) => span("description", start)),
      ]);
    }
  });
});
