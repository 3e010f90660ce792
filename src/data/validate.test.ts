import { describe, expect, it } from "vitest";
import { type TagDefinition, Taxonomy } from "../taxonomy/index.js";
import type { ContentItem } from "./content.js";
import type { ContentProblem, LoadedContent } from "./load.js";
import { DEFAULT_VALIDATION, validateContent } from "./validate.js";

const FILE = "content.json";

const def = (tag: string, parents: string[] = [], aliases: string[] = []): TagDefinition => ({
  tag,
  aliases,
  parents,
});

const taxonomy = new Taxonomy([
  def("natural-language-processing", [], ["nlp"]),
  def("transformers", ["natural-language-processing"]),
  def("computer-vision", [], ["cv"]),
  def("object-detection", ["computer-vision", "vision-stuff"]),
  def("reinforcement-learning"),
]);

const item = (id: string, title: string, tags: string[], description = ""): ContentItem => ({
  id,
  createdOn: null,
  title,
  description,
  tags,
});

/** Content as loaded from FILE, item i on line `lines[i]` (default: line i + 2, as in a pretty-printed array). */
function loaded(
  items: ContentItem[],
  problems: ContentProblem[] = [],
  lines?: number[],
): LoadedContent {
  return {
    items: items.map((it, i) => ({ item: it, origin: { file: FILE, line: lines?.[i] ?? i + 2 } })),
    problems,
    labelMode: "multi",
  };
}

const long = (topic: string) =>
  `A long description of ${topic} that goes on for a while, with enough words in it to make many shingles for the near duplicate check.`;

describe("validateContent", () => {
  const content = loaded(
    [
      item("1", "Attention is all you need", ["transformers", "code", "tutorial"], "The paper."),
      item("2", "BERT explained", ["nlp", "article"], "A walk through BERT."),
      item("1", "YOLO v4 for detection", ["object-detection", "code"], "Fast detector."),
      item("4", "Attention Is All You Need!", ["transformers"], "A summary of the paper."),
      item("5", "", ["code"]),
      item("6", "GAN", ["computer-vision"]),
      item("7", "Notes", ["computer-vision"], long("diffusion models")),
      item("8", "Summary", ["computer-vision"], long("diffusion models")),
    ],
    [{ location: { file: FILE, line: 11 }, message: "title: required: a string" }],
  );
  const report = validateContent(content, taxonomy, { ...DEFAULT_VALIDATION, rareTagCount: 2 });

  it("reports schema problems and duplicate ids as errors, so the data is not ok", () => {
    expect(report.ok).toBe(false);
    expect(report.errors).toBe(2);
    expect(report.schemaErrors).toEqual([
      { at: `${FILE}:11`, message: "title: required: a string" },
    ]);
    expect(report.duplicateIds).toEqual([{ id: "1", at: [`${FILE}:2`, `${FILE}:4`] }]);
    expect(report.items).toBe(8);
  });

  it("names an item by its place in the array where its line holds others (a file on one line)", () => {
    const oneLine: LoadedContent = {
      items: [item("1", "one two three", ["cv"]), item("1", "four five six", ["cv"])].map(
        (it, i) => ({ item: it, origin: { file: FILE, line: 1, item: i + 1 } }),
      ),
      problems: [],
      labelMode: "multi",
    };
    expect(validateContent(oneLine, taxonomy).duplicateIds).toEqual([
      { id: "1", at: [`${FILE}:1 item 1`, `${FILE}:1 item 2`] },
    ]);
  });

  it("reports the same normalised title as an exact duplicate, with every item", () => {
    expect(report.exactDuplicates).toEqual([
      {
        title: "attention is all you need",
        items: [
          { id: "1", at: `${FILE}:2` },
          { id: "4", at: `${FILE}:5` },
        ],
      },
    ]);
  });

  it("reports near-duplicate texts with their similarity", () => {
    expect(report.nearDuplicates).toHaveLength(1);
    expect(report.nearDuplicates[0]).toMatchObject({
      a: { id: "7", at: `${FILE}:8` },
      b: { id: "8", at: `${FILE}:9` },
    });
    expect(report.nearDuplicates[0]?.similarity).toBeGreaterThanOrEqual(0.9);
  });

  it("reports empty and short texts (fewer words than minWords)", () => {
    expect(report.emptyTexts).toEqual([{ id: "5", at: `${FILE}:6` }]);
    expect(report.shortTexts).toEqual([{ id: "6", at: `${FILE}:7`, words: 1 }]);
  });

  it("reports items without an approved tag, alias-spelled tags included", () => {
    expect(report.noApprovedTag).toEqual([
      { id: "2", at: `${FILE}:3`, tags: ["nlp", "article"] },
      { id: "5", at: `${FILE}:6`, tags: ["code"] },
    ]);
    expect(report.aliasTags).toEqual([
      { tag: "nlp", approvedTag: "natural-language-processing", count: 1 },
    ]);
  });

  it("ranks unapproved tags by count, then name, with up to three example ids", () => {
    expect(report.unapprovedTags).toEqual([
      { tag: "code", count: 3, examples: ["1", "1", "5"] },
      { tag: "article", count: 1, examples: ["2"] },
      { tag: "tutorial", count: 1, examples: ["1"] },
    ]);
    expect(report.unapprovedTags.map((t) => t.tag)).not.toContain("nlp");
  });

  it("counts gold labels with ancestors, and lists rare and unused approved tags", () => {
    expect(report.labelDistribution).toEqual([
      { tag: "computer-vision", count: 4 },
      { tag: "natural-language-processing", count: 2 },
      { tag: "transformers", count: 2 },
      { tag: "object-detection", count: 1 },
    ]);
    expect(report.rareTags).toEqual([{ tag: "object-detection", count: 1 }]);
    expect(report.unusedTags).toEqual(["reinforcement-learning"]);
  });

  it("passes taxonomy findings through", () => {
    expect(report.taxonomy).toMatchObject({ tags: 5, errors: 0, warnings: 1 });
    expect(report.taxonomy.findings).toMatchObject([
      { severity: "warning", code: "parent_not_approved", tags: ["vision-stuff"] },
    ]);
  });

  it("counts every warning once", () => {
    expect(report.warnings).toBe(
      report.exactDuplicates.length +
        report.nearDuplicates.length +
        report.emptyTexts.length +
        report.shortTexts.length +
        report.noApprovedTag.length +
        report.aliasTags.length +
        report.rareTags.length +
        report.taxonomy.warnings,
    );
    expect(report.warnings).toBe(9);
  });

  it("is ok with only warnings", () => {
    const warningsOnly = validateContent(
      loaded([item("1", "A b c", ["code"]), item("2", "A B C!", ["code"])]),
      taxonomy,
    );
    expect(warningsOnly.ok).toBe(true);
    expect(warningsOnly.errors).toBe(0);
    expect(warningsOnly.warnings).toBeGreaterThan(0);
  });

  it("makes taxonomy errors errors", () => {
    const broken = new Taxonomy([def("a", ["b"]), def("b", ["a"])]);
    const result = validateContent(loaded([item("1", "one two three", ["a"])]), broken);
    expect(result.ok).toBe(false);
    expect(result.taxonomy.errors).toBe(1);
    expect(result.errors).toBe(1);
  });

  it("skips exact duplicates among near-duplicates, but keeps other pairs, when every item is on one line", () => {
    const description = long("graph neural networks");
    const oneLine = loaded(
      [
        item("1", "Same title", [], description),
        item("2", "Same title", [], description),
        item("3", "Notes", [], long("diffusion models")),
        item("4", "Summary", [], long("diffusion models")),
      ],
      [],
      [1, 1, 1, 1],
    );
    const result = validateContent(oneLine, taxonomy);
    expect(result.counts.exactDuplicates).toBe(1);
    expect(result.nearDuplicates.map((d) => [d.a.id, d.b.id])).toEqual([["3", "4"]]);
  });

  it("truncates lists to listLimit but keeps full counts", () => {
    const many = Array.from({ length: 10 }, (_, i) => item(`e${i}`, "", [`tag-${i}`]));
    const problems = Array.from({ length: 7 }, (_, i) => ({
      location: { file: FILE, line: 100 + i },
      message: "title: required: a string",
    }));
    const result = validateContent(loaded(many, problems), taxonomy, {
      ...DEFAULT_VALIDATION,
      listLimit: 3,
    });
    expect(result.counts).toMatchObject({
      schemaErrors: 7,
      emptyTexts: 10,
      noApprovedTag: 10,
      unapprovedTags: 10,
    });
    expect(result.schemaErrors).toHaveLength(3);
    expect(result.emptyTexts.map((e) => e.id)).toEqual(["e0", "e1", "e2"]);
    expect(result.noApprovedTag).toHaveLength(3);
    expect(result.unapprovedTags).toHaveLength(3);
    expect(result.errors).toBe(7);
    expect(result.warnings).toBe(10 + 10 + 1); // empty, no approved tag, the taxonomy's unapproved parent
  });

  it("reports nothing for clean content", () => {
    const result = validateContent(
      loaded([
        item("1", "Transformers for translation", ["transformers"]),
        item("2", "Detecting objects in images", ["object-detection"]),
        item("3", "Reinforcement learning for games", ["reinforcement-learning"]),
      ]),
      new Taxonomy([
        def("natural-language-processing"),
        def("transformers", ["natural-language-processing"]),
        def("computer-vision"),
        def("object-detection", ["computer-vision"]),
        def("reinforcement-learning"),
      ]),
      { ...DEFAULT_VALIDATION, rareTagCount: 1 },
    );
    expect(result).toMatchObject({ ok: true, errors: 0, warnings: 0, unusedTags: [] });
    expect(Object.values(result.counts).every((c) => c === 0)).toBe(true);
  });
});
