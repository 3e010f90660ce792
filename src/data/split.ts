// Splitting labeled content: by time (how the product meets new content), randomly, or by iterative stratification
// (Sechidis et al., 2011) so rare tags reach every split; and the leakage check across splits.

import { TagsmithError } from "../errors.js";
import { byCodeUnit, words } from "../text/index.js";
import { type ContentItem, contentText } from "./content.js";
import { nearDuplicatePairs } from "./near-duplicates.js";
import { seededRandom, shuffled } from "./random.js";

export type SplitMethod = "time" | "random" | "stratified";

/** Validates ratios (each > 0, summing to 1 within rounding) and returns them. */
export function checkRatios(ratios: readonly number[]): number[] {
  const sum = ratios.reduce((s, r) => s + r, 0);
  if (ratios.length < 2 || ratios.some((r) => !(r > 0)) || Math.abs(sum - 1) > 1e-6) {
    throw new TagsmithError(
      "usage",
      `ratios ${ratios.join(",")} are not valid: give two or more positive numbers that sum to 1, e.g. 0.7,0.15,0.15`,
    );
  }
  return [...ratios];
}

/**
 * Validates part names, which become file names (NAME.json) in the output directory: a name with a path separator
 * or ".." would put its part outside that directory, or overwrite a file there.
 */
export function checkPartNames(names: readonly string[]): string[] {
  for (const name of names) {
    if (name.trim() === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) {
      throw new TagsmithError(
        "usage",
        `part name ${JSON.stringify(name)} is not a plain file name: a name may not be empty, be . or .., or contain / or \\; use names like train,tune,test`,
      );
    }
  }
  return [...names];
}

/** Cut points of n items for the given ratios (the last part takes the rounding). */
function cutSizes(n: number, ratios: readonly number[]): number[] {
  let assigned = 0;
  let cumulative = 0;
  return ratios.map((ratio, i) => {
    cumulative += ratio;
    const end = i === ratios.length - 1 ? n : Math.round(cumulative * n);
    const size = end - assigned;
    assigned = end;
    return size;
  });
}

function cut<T>(ordered: readonly T[], ratios: readonly number[]): T[][] {
  let start = 0;
  return cutSizes(ordered.length, ratios).map((size) => {
    const part = ordered.slice(start, start + size);
    start += size;
    return part;
  });
}

/**
 * Content split by `method` into parts of the given ratios: by time (oldest part first; every item needs a date), at
 * random, or stratified on `labelsOf` (each item's gold tags) so rare tags spread as the ratios say.
 */
export function splitContent<T extends Pick<ContentItem, "id" | "createdOn">>(
  items: readonly T[],
  method: SplitMethod,
  ratios: readonly number[],
  { seed, labelsOf }: { seed: number; labelsOf: (item: T) => readonly string[] },
): T[][] {
  switch (method) {
    case "time":
      return timeSplit(items, ratios);
    case "random":
      return randomSplit(items, ratios, seed);
    case "stratified":
      return stratifiedSplit(items, labelsOf, ratios, seed);
  }
}

/** Oldest first: the first part is the oldest content, the last the newest. Every item needs a date. */
export function timeSplit<T extends Pick<ContentItem, "id" | "createdOn">>(
  items: readonly T[],
  ratios: readonly number[],
): T[][] {
  const undated = items.find((i) => i.createdOn === null);
  if (undated) {
    throw new TagsmithError(
      "invalid_input",
      `item ${undated.id} has no created_on, so a time split is impossible: add dates or use a random or stratified split`,
    );
  }
  const ordered = [...items].sort(
    (a, b) => byCodeUnit(a.createdOn as string, b.createdOn as string) || byCodeUnit(a.id, b.id),
  );
  return cut(ordered, checkRatios(ratios));
}

export function randomSplit<T>(
  items: readonly T[],
  ratios: readonly number[],
  seed: number,
): T[][] {
  return cut(shuffled(items, seededRandom(seed)), checkRatios(ratios));
}

/**
 * Iterative stratification for multi-label data: labels with the fewest remaining items are placed first, each item
 * going to the split that most wants its label, so rare tags are spread as the ratios say.
 */
export function stratifiedSplit<T>(
  items: readonly T[],
  labelsOf: (item: T) => readonly string[],
  ratios: readonly number[],
  seed: number,
): T[][] {
  checkRatios(ratios);
  const random = seededRandom(seed);
  const parts: T[][] = ratios.map(() => []);
  const wantTotal = ratios.map((r) => r * items.length);
  const wantLabel = new Map<string, number[]>();
  const remaining = new Map<string, Set<number>>();
  items.forEach((item, index) => {
    for (const label of labelsOf(item)) {
      if (!remaining.has(label)) remaining.set(label, new Set());
      remaining.get(label)?.add(index);
    }
  });
  for (const [label, members] of remaining)
    wantLabel.set(
      label,
      ratios.map((r) => r * members.size),
    );

  const place = (index: number, choose: (j: number) => number) => {
    const best = Math.max(...ratios.map((_, j) => choose(j)));
    const tied = ratios.map((_, j) => j).filter((j) => choose(j) === best);
    const byTotal = Math.max(...tied.map((j) => wantTotal[j] as number));
    const candidates = tied.filter((j) => wantTotal[j] === byTotal);
    const j = candidates[Math.floor(random() * candidates.length)] as number;
    const item = items[index] as T;
    parts[j]?.push(item);
    wantTotal[j] = (wantTotal[j] as number) - 1;
    for (const label of labelsOf(item)) {
      const want = wantLabel.get(label) as number[];
      want[j] = (want[j] as number) - 1;
      remaining.get(label)?.delete(index);
    }
  };

  for (;;) {
    let rarest: string | undefined;
    for (const [label, members] of remaining) {
      if (members.size === 0) continue;
      const current = rarest === undefined ? Infinity : (remaining.get(rarest)?.size ?? Infinity);
      if (members.size < current || (members.size === current && label < (rarest as string)))
        rarest = label;
    }
    if (rarest === undefined) break;
    const want = wantLabel.get(rarest) as number[];
    for (const index of [...(remaining.get(rarest) as Set<number>)].sort((a, b) => a - b)) {
      place(index, (j) => want[j] as number);
    }
  }
  const placed = new Set(parts.flat());
  items.forEach((item, index) => {
    if (!placed.has(item)) place(index, (j) => wantTotal[j] as number);
  });
  return parts;
}

export interface Leak {
  kind: "same_id" | "same_title" | "near_duplicate";
  a: { split: string; id: string };
  b: { split: string; id: string };
  similarity?: number;
}

/** Items that appear, or nearly appear, in two splits: they would inflate evaluation scores. */
export function findLeaks(
  splits: readonly { name: string; items: readonly ContentItem[] }[],
  threshold = 0.9,
): Leak[] {
  const all = splits.flatMap(({ name, items }) => items.map((item) => ({ split: name, item })));
  const leaks: Leak[] = [];
  const seenBy = new Map<string, { split: string; id: string }>();
  const exact = new Set<string>();
  for (const { split, item } of all) {
    const title = words(item.title).join(" ");
    for (const [kind, key] of [
      ["same_id", `id:${item.id}`],
      // titles without a word (empty, or only punctuation) are not the same title: validation reports them
      ...(title ? [["same_title", `title:${title}`] as const] : []),
    ] as const) {
      const first = seenBy.get(key);
      if (first && first.split !== split) {
        leaks.push({ kind, a: first, b: { split, id: item.id } });
        exact.add(`${first.split}:${first.id}|${split}:${item.id}`);
      } else if (!first) seenBy.set(key, { split, id: item.id });
    }
  }
  const pairs = nearDuplicatePairs(
    all.map(({ item }) => contentText(item)),
    threshold,
    (a, b) => all[a]?.split !== all[b]?.split,
  );
  for (const { a, b, similarity } of pairs) {
    const x = all[a] as (typeof all)[number];
    const y = all[b] as (typeof all)[number];
    if (exact.has(`${x.split}:${x.item.id}|${y.split}:${y.item.id}`)) continue;
    leaks.push({
      kind: "near_duplicate",
      a: { split: x.split, id: x.item.id },
      b: { split: y.split, id: y.item.id },
      similarity: Math.round(similarity * 1000) / 1000,
    });
  }
  return leaks;
}
