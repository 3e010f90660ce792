import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TagsmithError } from "../errors.js";
import type { ContentItem } from "./content.js";
import { seededRandom } from "./random.js";
import {
  checkPartNames,
  checkRatios,
  findLeaks,
  randomSplit,
  splitContent,
  stratifiedSplit,
  timeSplit,
} from "./split.js";

const item = (id: string, fields: Partial<ContentItem> = {}): ContentItem => ({
  id,
  createdOn: null,
  title: `title of ${id}`,
  description: "",
  tags: [],
  ...fields,
});

function thrown(f: () => unknown): TagsmithError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(TagsmithError);
    return error as TagsmithError;
  }
  throw new Error("expected a TagsmithError, nothing was thrown");
}

/** Each part's size is its ratio of n, give or take one for rounding, and the sizes add up to n. */
function expectSizes(parts: readonly unknown[][], n: number, ratios: readonly number[]): void {
  expect(parts).toHaveLength(ratios.length);
  expect(parts.reduce((s, p) => s + p.length, 0)).toBe(n);
  parts.forEach((part, i) => {
    expect(Math.abs(part.length - (ratios[i] as number) * n)).toBeLessThanOrEqual(1);
  });
}

/** The parts hold exactly the given items: none lost, none duplicated. */
function expectPartition<T>(parts: readonly T[][], items: readonly T[]): void {
  const flat = parts.flat();
  expect(flat).toHaveLength(items.length);
  expect(new Set(flat).size).toBe(items.length);
  for (const x of items) expect(flat).toContain(x);
}

// n positive ratios summing to 1 (two to five parts).
const ratiosArb = fc
  .array(fc.integer({ min: 1, max: 20 }), { minLength: 2, maxLength: 5 })
  .map((weights) => {
    const total = weights.reduce((s, w) => s + w, 0);
    return weights.map((w) => w / total);
  });

describe("checkRatios", () => {
  it("accepts two or more positive ratios summing to 1", () => {
    expect(checkRatios([0.7, 0.15, 0.15])).toEqual([0.7, 0.15, 0.15]);
    expect(checkRatios([0.5, 0.5])).toEqual([0.5, 0.5]);
    expect(checkRatios([1 / 3, 1 / 3, 1 / 3])).toHaveLength(3);
  });

  it("rejects anything else as a usage error", () => {
    for (const ratios of [
      [],
      [1],
      [0.5, 0.6],
      [0.5, 0.4],
      [0.5, 0.5, 0],
      [1.2, -0.2],
      [Number.NaN, 1],
      [0.7, 0.15, 0.15, 0.01],
    ]) {
      expect(thrown(() => checkRatios(ratios)).code, String(ratios)).toBe("usage");
    }
  });
});

describe("checkPartNames", () => {
  it("accepts plain file names", () => {
    expect(checkPartNames(["train", "tune", "test"])).toEqual(["train", "tune", "test"]);
    expect(checkPartNames(["part-1", "v2.gold", "a..b"])).toHaveLength(3);
  });

  it("refuses a name that would leave the output directory, or is empty, naming it", () => {
    for (const name of ["../../escape", "..", ".", "a/b", "/tmp/x", "a\\b", "", "  ", "a\u0000b"]) {
      const error = thrown(() => checkPartNames(["train", name]));
      expect(error.code, name).toBe("usage");
      expect(error.message).toContain(JSON.stringify(name));
      expect(error.message).toMatch(/not a plain file name/);
    }
  });
});

describe("splitContent", () => {
  it("splits by the method named, as that method's own function does", () => {
    const items = Array.from({ length: 40 }, (_, i) =>
      item(`i${i}`, {
        createdOn: `2020-01-${String((i % 28) + 1).padStart(2, "0")}`,
        tags: [i % 3 ? "a" : "b"],
      }),
    );
    const ratios = [0.5, 0.25, 0.25];
    const labelsOf = (i: ContentItem) => i.tags;
    const options = { seed: 7, labelsOf };
    expect(splitContent(items, "time", ratios, options)).toEqual(timeSplit(items, ratios));
    expect(splitContent(items, "random", ratios, options)).toEqual(randomSplit(items, ratios, 7));
    expect(splitContent(items, "stratified", ratios, options)).toEqual(
      stratifiedSplit(items, labelsOf, ratios, 7),
    );
    expect(splitContent(items, "random", ratios, options)).not.toEqual(
      splitContent(items, "time", ratios, options),
    );
  });
});

describe("timeSplit", () => {
  // 20 items, one per day, given in a scrambled order
  const days = Array.from({ length: 20 }, (_, i) => i);
  const scrambled = [...days].sort((a, b) => ((a * 7) % 20) - ((b * 7) % 20));
  const dated = scrambled.map((d) =>
    item(`d${d}`, { createdOn: new Date(Date.UTC(2020, 0, 1 + d)).toISOString() }),
  );

  it("puts the oldest content first and the newest last", () => {
    const parts = timeSplit(dated, [0.7, 0.15, 0.15]);
    const dates = parts.map((part) => part.map((i) => i.createdOn as string));
    expect(dates.flat()).toEqual(dates.flat().slice().sort());
    for (let p = 0; p + 1 < dates.length; p++) {
      const newestHere = (dates[p] as string[]).at(-1) as string;
      const oldestNext = (dates[p + 1] as string[])[0] as string;
      expect(newestHere < oldestNext).toBe(true);
    }
    expect(parts.flat()[0]?.id).toBe("d0");
    expect(parts.flat().at(-1)?.id).toBe("d19");
  });

  it("gives parts the sizes the ratios ask for", () => {
    expectSizes(timeSplit(dated, [0.7, 0.15, 0.15]), 20, [0.7, 0.15, 0.15]);
    expectSizes(timeSplit(dated, [0.5, 0.5]), 20, [0.5, 0.5]);
    expectPartition(timeSplit(dated, [0.7, 0.15, 0.15]), dated);
  });

  it("orders items of the same date by id, whatever the input order", () => {
    const same = "2020-01-01T00:00:00.000Z";
    const items = ["c", "a", "b", "d"].map((id) => item(id, { createdOn: same }));
    const parts = timeSplit(items, [0.5, 0.5]);
    expect(parts.map((p) => p.map((i) => i.id))).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(timeSplit([...items].reverse(), [0.5, 0.5])).toEqual(parts);
  });

  it("refuses undated content, naming an undated item", () => {
    const error = thrown(() => timeSplit([...dated, item("undated-1")], [0.7, 0.15, 0.15]));
    expect(error.code).toBe("invalid_input");
    expect(error.message).toContain("undated-1");
  });

  it("refuses bad ratios", () => {
    expect(thrown(() => timeSplit(dated, [0.7, 0.7])).code).toBe("usage");
  });
});

describe("randomSplit", () => {
  const items = Array.from({ length: 100 }, (_, i) => item(`r${i}`));

  it("is a partition with the sizes the ratios ask for", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer(), { maxLength: 200 }),
        ratiosArb,
        fc.integer(),
        (xs, ratios, seed) => {
          const parts = randomSplit(xs, ratios, seed);
          expectPartition(parts, xs);
          expectSizes(parts, xs.length, ratios);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("gives the same parts for the same seed and different parts for another", () => {
    const a = randomSplit(items, [0.7, 0.15, 0.15], 42);
    expect(randomSplit(items, [0.7, 0.15, 0.15], 42)).toEqual(a);
    expect(randomSplit(items, [0.7, 0.15, 0.15], 43)).not.toEqual(a);
    // and actually shuffles
    expect(a.flat()).not.toEqual(items);
  });
});

/** A synthetic multi-label dataset: label k is on roughly (k + 1) * 8 items; some items have no label. */
function syntheticDataset(n: number, seed: number): { id: number; labels: string[] }[] {
  const random = seededRandom(seed);
  const labels = Array.from({ length: 15 }, (_, k) => ({ name: `L${k}`, p: ((k + 1) * 8) / n }));
  return Array.from({ length: n }, (_, id) => ({
    id,
    labels: labels.filter(({ p }) => random() < p).map(({ name }) => name),
  }));
}

/** For each label on at least `min` items: how far each part's count is from the label's count times the ratio. */
function labelDeviations(
  parts: readonly { labels: string[] }[][],
  ratios: readonly number[],
  min: number,
): number[] {
  const totals = new Map<string, number>();
  for (const x of parts.flat()) for (const l of x.labels) totals.set(l, (totals.get(l) ?? 0) + 1);
  const deviations: number[] = [];
  for (const [label, total] of totals) {
    if (total < min) continue;
    parts.forEach((part, j) => {
      const count = part.filter((x) => x.labels.includes(label)).length;
      deviations.push(Math.abs(count - (ratios[j] as number) * total));
    });
  }
  return deviations;
}

describe("stratifiedSplit", () => {
  const ratios = [0.7, 0.15, 0.15];

  it("is a partition, items without labels included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.constantFrom("a", "b", "c", "d", "e"), { maxLength: 3 }), {
          maxLength: 120,
        }),
        ratiosArb,
        fc.integer(),
        (labelLists, r, seed) => {
          const items = labelLists.map((labels, id) => ({ id, labels }));
          expectPartition(
            stratifiedSplit(items, (x) => x.labels, r, seed),
            items,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("gives every label with ten or more items its ratio in every part, within two items", () => {
    for (const seed of [1, 2, 3]) {
      const items = syntheticDataset(600, seed);
      const parts = stratifiedSplit(items, (x) => x.labels, ratios, seed);
      const deviations = labelDeviations(parts, ratios, 10);
      expect(deviations.length).toBeGreaterThan(30);
      expect(Math.max(...deviations)).toBeLessThanOrEqual(2);
    }
  });

  it("spreads labels better than a random split does", () => {
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    let stratified = 0;
    let random = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const items = syntheticDataset(600, seed);
      stratified += mean(
        labelDeviations(
          stratifiedSplit(items, (x) => x.labels, ratios, seed),
          ratios,
          10,
        ),
      );
      random += mean(labelDeviations(randomSplit(items, ratios, seed), ratios, 10));
    }
    expect(stratified).toBeLessThan(random / 2);
  });

  it("keeps part sizes near the ratios", () => {
    const items = syntheticDataset(600, 7);
    const parts = stratifiedSplit(items, (x) => x.labels, ratios, 7);
    parts.forEach((part, j) => {
      expect(Math.abs(part.length - (ratios[j] as number) * 600)).toBeLessThanOrEqual(600 * 0.02);
    });
  });

  it("is deterministic per seed", () => {
    const items = syntheticDataset(300, 11);
    const a = stratifiedSplit(items, (x) => x.labels, ratios, 5);
    expect(stratifiedSplit(items, (x) => x.labels, ratios, 5)).toEqual(a);
  });

  it("refuses bad ratios", () => {
    expect(thrown(() => stratifiedSplit([1, 2], () => [], [0.9, 0.2], 1)).code).toBe("usage");
  });
});

describe("findLeaks", () => {
  const long = (topic: string) =>
    `A long description of ${topic} that goes on for a while, with enough words in it to make many shingles for the near duplicate check to compare against one another.`;

  it("flags the same id in two parts", () => {
    const leaks = findLeaks([
      { name: "train", items: [item("1", { title: "alpha" })] },
      { name: "test", items: [item("1", { title: "beta" })] },
    ]);
    expect(leaks).toEqual([
      { kind: "same_id", a: { split: "train", id: "1" }, b: { split: "test", id: "1" } },
    ]);
  });

  it("flags the same title, after normalisation, in two parts", () => {
    const leaks = findLeaks([
      { name: "train", items: [item("1", { title: "Attention Is All You Need" })] },
      { name: "test", items: [item("2", { title: "attention is all you need!" })] },
    ]);
    expect(leaks).toEqual([
      { kind: "same_title", a: { split: "train", id: "1" }, b: { split: "test", id: "2" } },
    ]);
  });

  it("flags near-duplicate texts in two parts with their similarity", () => {
    const description = long("graph neural networks");
    const leaks = findLeaks([
      { name: "train", items: [item("1", { title: "Notes", description })] },
      { name: "tune", items: [item("9", { title: "Other", description: long("tabular data") })] },
      { name: "test", items: [item("2", { title: "Summary", description })] },
    ]);
    // 33 words each, 31 shingles each, 30 of them shared (all but the one with the title): 30/32
    expect(leaks).toEqual([
      {
        kind: "near_duplicate",
        a: { split: "train", id: "1" },
        b: { split: "test", id: "2" },
        similarity: Math.round((30 / 32) * 1000) / 1000,
      },
    ]);
  });

  it("reports a pair that shares a title once, not again as a near-duplicate", () => {
    const description = long("diffusion models");
    const leaks = findLeaks([
      { name: "train", items: [item("1", { title: "Diffusion", description })] },
      { name: "test", items: [item("2", { title: "Diffusion", description })] },
    ]);
    expect(leaks.map((l) => l.kind)).toEqual(["same_title"]);
  });

  it("ignores duplicates within one part", () => {
    const description = long("reinforcement learning");
    expect(
      findLeaks([
        {
          name: "train",
          items: [
            item("1", { title: "Same", description }),
            item("1", { title: "Same", description }),
            item("3", { title: "Same!", description }),
          ],
        },
        { name: "test", items: [item("4", { title: "different", description: long("speech") })] },
      ]),
    ).toEqual([]);
  });

  it("does not take titles without words for the same title", () => {
    expect(
      findLeaks([
        { name: "train", items: [item("1", { title: "" }), item("2", { title: "!!!" })] },
        { name: "test", items: [item("3", { title: "" }), item("4", { title: "?" })] },
      ]),
    ).toEqual([]);
  });

  it("honours the near-duplicate threshold", () => {
    const words = Array.from({ length: 30 }, (_, i) => `w${i}`);
    const a = words.join(" ");
    const b = words.map((w, i) => (i === 15 ? "x" : w)).join(" "); // Jaccard 25/31 with a
    const splits = [
      { name: "train", items: [item("1", { title: "one", description: a })] },
      { name: "test", items: [item("2", { title: "two", description: b })] },
    ];
    expect(findLeaks(splits)).toEqual([]);
    expect(findLeaks(splits, 0.75).map((l) => l.kind)).toEqual(["near_duplicate"]);
  });
});
