import { describe, expect, it } from "vitest";
import type { ContentItem, LoadedContent } from "../data/index.js";
import { DEFAULT_VALIDATION, validateContent } from "../data/index.js";
import { Taxonomy } from "../taxonomy/index.js";
import { renderValidationReport } from "./validation-report.js";

const item = (id: string, title: string, tags: string[]): ContentItem => ({
  id,
  createdOn: null,
  title,
  description: "",
  tags,
});

const loaded = (items: ContentItem[], problems: LoadedContent["problems"] = []): LoadedContent => ({
  items: items.map((it, i) => ({ item: it, origin: { file: "c.json", line: i + 2 } })),
  problems,
  labelMode: "multi",
});

const taxonomy = new Taxonomy([
  { tag: "computer-vision", aliases: ["cv"], parents: ["vision-stuff"] },
  { tag: "robotics", aliases: [], parents: [] },
]);

describe("renderValidationReport", () => {
  it("says what was checked, lists each finding under its heading, and ends with FAILED on errors", () => {
    const report = validateContent(
      loaded(
        [
          item("1", "Detecting cars in traffic video", ["computer-vision", "code"]),
          item("1", "Detecting cars in traffic video", ["cv"]),
          item("3", "GAN", ["tutorial"]),
        ],
        [{ location: { file: "c.json", line: 9 }, message: "title: required: a string" }],
      ),
      taxonomy,
    );
    const text = renderValidationReport(report, "c.json");
    const lines = text.split("\n");
    expect(lines[0]).toBe(
      `c.json: 3 items, multi-label, ${report.errors} error(s), ${report.warnings} warning(s)`,
    );
    expect(text).toContain(
      "ERRORS: records that could not be read (1)\n  c.json:9: title: required: a string",
    );
    expect(text).toContain("ERRORS: ids used more than once (1)\n  id 1 at c.json:2, c.json:3");
    expect(text).toContain("taxonomy warnings (1)");
    expect(text).toContain(
      'exact duplicates (same normalised title) (1)\n  "detecting cars in traffic video": 1 (c.json:2), 1 (c.json:3)',
    );
    expect(text).toContain("very short texts (1)\n  3 (c.json:4): 1 word(s)");
    expect(text).toContain("cv -> computer-vision: 1");
    expect(text).toMatch(
      /unapproved tags by frequency.*\(2\)\n {2}code: 1 \(e\.g\. 1\)\n {2}tutorial: 1 \(e\.g\. 3\)/,
    );
    expect(text).toContain(
      "labels: 1 approved tags used, 1 unused; most frequent: computer-vision 1",
    );
    expect(text.endsWith("FAILED: fix the errors above\n")).toBe(true);
    expect(text).not.toContain("near-duplicates");
  });

  it("says how many more there are when a list is cut", () => {
    const report = validateContent(
      loaded(Array.from({ length: 5 }, (_, i) => item(`e${i}`, "", []))),
      taxonomy,
      { ...DEFAULT_VALIDATION, listLimit: 2 },
    );
    const text = renderValidationReport(report, "c.json");
    expect(text).toContain(
      "empty texts (5)\n  e0 (c.json:2)\n  e1 (c.json:3)\n  ... and 3 more (see --json)",
    );
    expect(text.endsWith("OK: no errors\n")).toBe(true);
  });
});

describe("renderValidationReport with control characters in the data", () => {
  it("writes them as escapes, so an id cannot clear the terminal or rewrite lines", () => {
    const report = validateContent(
      loaded([
        item("a\u001b[2J", "", ["robotics"]),
        item("b\n\nOK: c", "Drone\u0007 control", ["\u202egat"]),
      ]),
      taxonomy,
      DEFAULT_VALIDATION,
    );
    const text = renderValidationReport(report, "c.json");
    expect(text).toContain("a\\u001b[2J (c.json:2)");
    expect(text).toContain("b\\u000a\\u000aOK: c (c.json:3)");
    // A right-to-left override would print the rest of the line backwards.
    expect(text).toContain("\\u202egat");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking none is left.
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).not.toMatch(/^OK: c/m);
  });
});
