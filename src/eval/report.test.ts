import { describe, expect, it } from "vitest";
import type { Tagger } from "../taggers/index.js";
import { Taxonomy } from "../taxonomy/index.js";
import { thresholdCurve } from "./curve.js";
import { evaluate } from "./evaluate.js";
import { renderReport } from "./report.js";

const taxonomy = new Taxonomy(
  ["cv", "nlp", "audio"].map((tag) => ({ tag, aliases: [], parents: [] })),
);
/** Suggests "cv" at 0.8, always: right on images, wrong on text, never "audio". */
const tagger: Tagger = {
  name: "fixed",
  suggest: () => [{ tag: "cv", score: 0.8, source: "implicit" }],
};
const items = [
  ...Array.from({ length: 3 }, (_, i) => ({
    id: `i${i}`,
    title: "image",
    description: "",
    gold: ["cv"],
  })),
  ...Array.from({ length: 3 }, (_, i) => ({
    id: `t${i}`,
    title: "text",
    description: "",
    gold: ["nlp"],
  })),
  ...Array.from({ length: 3 }, (_, i) => ({
    id: `a${i}`,
    title: "sound",
    description: "",
    gold: ["audio"],
  })),
];

describe("thresholdCurve", () => {
  it("has no precision where nothing would be suggested, rather than a precision of 0", () => {
    const { evaluated } = evaluate(tagger, items, taxonomy, { limit: 1, singleLabel: true });
    const curve = thresholdCurve(evaluated, 1, 10);
    expect(curve.find((p) => p.threshold === 0.8)?.precision).toBeCloseTo(1 / 3, 3);
    expect(curve.find((p) => p.threshold === 0.9)).toMatchObject({ precision: null, recall: 0 });
  });
});

/** The report of the fixed tagger on the items, at one suggestion, and its page. */
function rendered(options: { singleLabel?: boolean }) {
  const { evaluated, ...report } = evaluate(tagger, items, taxonomy, { limit: 1, ...options });
  const curve = thresholdCurve(evaluated, 1);
  return { report, html: renderReport({ title: "t", report, curve, chartJs: "" }) };
}

describe("renderReport", () => {
  const { report, html } = rendered({ singleLabel: true });

  it("says one suggestion, not '1 suggestions'", () => {
    expect(html).toContain("at most 1 suggestion each");
  });

  it("lists as weakest only the tags below the macro F1, and shows the macro F1", () => {
    const weakest = html.slice(html.indexOf("<h2>Weakest"), html.indexOf("<h2>Slices"));
    expect(weakest).toContain(`below the macro ${report.macro.f1.toFixed(3)}`);
    expect(weakest).toContain("<td>nlp</td>");
    expect(weakest).toContain("<td>audio</td>");
    expect(weakest).not.toContain("<td>cv</td>");
    expect(html).toContain("macro F1<b>");
  });
});

describe("renderReport with groups that hold no item", () => {
  // One gold tag each, never named: the all-explicit slice is empty, and no item has tags to choose from.
  const { report, html } = rendered({});

  it("says n/a for them, and leaves them out of the slice chart, rather than drawing scores of 0", () => {
    expect(report.slices.all_explicit?.n_docs).toBe(0);
    expect(html).toContain(
      "<tr><td>all_explicit</td><td>0</td><td>n/a</td><td>n/a</td><td>n/a</td></tr>",
    );
    expect(html).toContain("recall@5 with tags chosen<b>n/a</b>");
    const data = JSON.parse(
      html.slice(html.indexOf("const data = ") + 13).split(";\n")[0] as string,
    );
    expect(data.slices.map((slice: { name: string }) => slice.name)).not.toContain("all_explicit");
    expect(data.slices.map((slice: { name: string }) => slice.name)).toContain("has_implicit");
  });
});
