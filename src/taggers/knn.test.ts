import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Taxonomy } from "../taxonomy/index.js";
import { TAGGER_KINDS } from "./index.js";
import { bestTags } from "./knn.js";
import type { TaggerKind } from "./tagger.js";

describe("bestTags", () => {
  it("gives the k best tags as a stable sort of `order` by share does (ties in `order`'s order)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 29 }), { maxLength: 30 }),
        fc.array(fc.constantFrom(0.1, 0.25, 0.5, 1), { minLength: 30, maxLength: 30 }),
        fc.integer({ min: 0, max: 35 }),
        (order, shares, k) => {
          const scores = Float64Array.from(shares);
          const sorted = order
            .slice()
            .sort((a, b) => scores[b] - scores[a])
            .slice(0, k);
          expect(bestTags({ scores, order }, k)).toEqual(sorted);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("kNN scores", () => {
  it("never pass 1 when every neighbour has the tag (each neighbour's share added one by one rounded to 1.0000000000000002 here)", async () => {
    // Found by a search over random texts: thirty items with one tag, and a query whose shares round past 1.
    const titles = [
      "detection camera model",
      "learning segmentation boxes detection",
      "learning image deep image detection",
      "network camera video segmentation model detection",
      "detection masks learning video image segmentation model",
      "network video model",
      "detection deep video deep",
      "camera video video masks video",
      "pixels detection video pixels network camera",
      "boxes segmentation deep network deep segmentation pixels",
      "boxes image segmentation",
      "detection detection pixels model",
      "segmentation model boxes network camera",
      "learning network masks network boxes camera",
      "segmentation network boxes learning masks detection image",
      "learning model boxes",
      "camera camera camera video",
      "deep model camera segmentation boxes",
      "video network image boxes camera camera",
      "detection deep model video network boxes detection",
      "learning network masks",
      "video model network pixels",
      "learning network masks segmentation image",
      "masks deep deep pixels model network",
      "model masks image image detection video video",
      "masks deep deep",
      "boxes masks masks model",
      "boxes segmentation boxes pixels video",
      "model video masks deep network deep",
      "network learning model boxes network model model",
    ];
    const items = titles.map((title, i) => ({
      id: String(i),
      title,
      description: "",
      gold: ["vision"],
    }));
    const taxonomy = Taxonomy.fromLabels(["vision"]);
    const kind = TAGGER_KINDS.knn as TaggerKind;
    const tagger = kind.create(
      await kind.train(items, { taxonomy, seed: 1, workers: 1 }),
      taxonomy,
    );
    const [vision] = tagger.suggest({ title: "network masks model camera" }, { minScore: 0 });
    expect(vision?.tag).toBe("vision");
    expect(vision?.score).toBeLessThanOrEqual(1);
    expect(vision?.score).toBeCloseTo(1, 12);
  });

  it("count a tag listed twice in a training item once: its share never passes 1", async () => {
    const taxonomy = Taxonomy.fromLabels(["vision", "nlp"]);
    const items = [
      ...Array.from({ length: 5 }, (_, i) => ({
        title: `camera pixels ${i}`,
        description: "",
        gold: ["vision", "vision"],
      })),
      // Enough others that "camera" and "pixels" stay under the index's 10% cut for common words.
      ...Array.from({ length: 60 }, (_, i) => ({
        title: `words sentences ${i}`,
        description: "",
        gold: ["nlp"],
      })),
    ];
    const kind = TAGGER_KINDS.knn as TaggerKind;
    const tagger = kind.create(
      await kind.train(items, { taxonomy, seed: 1, workers: 1 }),
      taxonomy,
    );
    const [vision] = tagger.suggest({ title: "camera pixels" }, { minScore: 0 });
    expect(vision).toMatchObject({ tag: "vision", score: 1 });
  });
});
