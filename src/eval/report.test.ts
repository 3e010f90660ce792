// The HTML eval report as text: what each part of the page says and holds. test/ui/report.test.ts looks at it in chromium.

import { describe, expect, it } from "vitest";
import type { Tagger } from "../taggers/index.js";
import { Taxonomy } from "../taxonomy/index.js";
import { thresholdCurve } from "./curve.js";
import { evaluate, singleLabelCases } from "./evaluate.js";
import { confusionCounts } from "./metrics.js";
import { type ReportInput, renderReport } from "./report.js";

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
function rendered(options: { singleLabel?: boolean }, input: Partial<ReportInput> = {}) {
  const { evaluated, ...report } = evaluate(tagger, items, taxonomy, { limit: 1, ...options });
  const curve = thresholdCurve(evaluated, 1);
  const confusion = options.singleLabel
    ? confusionCounts(singleLabelCases(evaluated.map((e) => e.case)))
    : undefined;
  return {
    report,
    html: renderReport({ title: "t", report, curve, confusion, chartJs: "", ...input }),
  };
}

/** The data the page's script draws its charts from. */
const chartData = (html: string) =>
  JSON.parse(html.slice(html.indexOf("const data = ") + 13).split(";\n")[0] as string);

describe("renderReport", () => {
  const { report, html } = rendered({ singleLabel: true });

  it("names the model scored, and says so prominently when it was trained on the scored items", () => {
    const model = {
      id: "m-0123456789ab",
      version: "2026-12-06T10:00:00.000Z",
      data: ["/d/<a>.json"],
    };
    const seen = rendered({}, { model, seenInTraining: 9 }).html;
    expect(seen).toContain(
      "<p>Model m-0123456789ab, trained 2026-12-06T10:00:00.000Z on /d/&lt;a&gt;.json.</p>",
    );
    expect(seen).toContain(
      '<p class="warning" role="note"><strong>Not held out:</strong> 9 of the 9 scored items are in the model\'s training data',
    );
    for (const unseen of [0, null])
      expect(rendered({}, { model, seenInTraining: unseen }).html).not.toContain("Not held out");
  });

  it("says one suggestion, not '1 suggestions'", () => {
    expect(html).toContain("at most 1 suggestion each");
  });

  it("lists as weakest only the tags below the macro F1, and shows the macro F1", () => {
    const weakest = html.slice(html.indexOf("<h2>Weakest"), html.indexOf("<h2>Slices"));
    expect(weakest).toContain(`below the macro ${report.macro.f1.toFixed(3)}`);
    expect(weakest).toContain('<td dir="auto">nlp</td>');
    expect(weakest).toContain('<td dir="auto">audio</td>');
    expect(weakest).not.toContain('<td dir="auto">cv</td>');
    expect(html).toContain("<dt>macro F1</dt><dd><b>");
  });

  it("fits a phone: a chart column no wider than the page, and a heading that breaks anywhere", () => {
    expect(html).toContain("minmax(min(480px, 100%), 1fr)");
    expect(html).toMatch(/h1 \{[^}]*overflow-wrap: anywhere/);
  });

  it("labels every bar of the per-tag chart, horizontal, and lists every charted value in a table", () => {
    expect(html).toContain('indexAxis: "y"');
    expect(html).toContain("autoSkip: false");
    const table = html.slice(html.indexOf("<summary>Table of the charted tags"));
    for (const [tag, t] of Object.entries(report.per_tag).filter(([, t]) => t.support > 0))
      expect(table).toContain(
        `<td dir="auto">${tag}</td><td>${t.support}</td><td>${t.precision.toFixed(3)}</td><td>${t.recall.toFixed(3)}</td><td>${t.f1.toFixed(3)}</td>`,
      );
  });

  it("says how many classes the per-tag chart shows, not '40 most frequent'", () => {
    expect(html).toContain("F1 of each of the 3 classes");
    expect(html).not.toContain("40 most frequent");
  });

  it("gives each chart a role and a summary, puts the page in <main>, and the figures in a <dl>", () => {
    for (const id of ["curve", "slices", "tags"])
      expect(html).toMatch(new RegExp(`<canvas id="${id}" role="img" aria-label="[^"]{40,}"`));
    expect(html).toMatch(/<body><main>[\s\S]*<\/main>\n<script>/);
    expect(html).toContain(
      `<dl class="cards">\n<div class="card"><dt>accuracy</dt><dd><b>${report.single_label?.accuracy.toFixed(3)}</b>`,
    );
  });

  it("shows the confusion of gold and predicted classes, counted as accuracy counts them", () => {
    // cv is always predicted: the three images right, the texts and sounds wrong.
    const confusion = html.slice(html.indexOf("<h2>Confusion"));
    expect(confusion).toContain(
      '<tr><th scope="col">gold \\ predicted</th><th scope="col" dir="auto">cv</th></tr>',
    );
    expect(confusion).toContain('<tr><th scope="row" dir="auto">audio</th><td>3</td></tr>');
    expect(confusion).toContain('<tr><th scope="row" dir="auto">cv</th><td>3</td></tr>');
    expect(report.single_label?.accuracy).toBeCloseTo(3 / 9, 3);
  });

  it("marks no threshold when the model has none", () => {
    expect(chartData(html).threshold).toBeNull();
    expect(html).not.toContain("model's threshold");
  });

  it("marks the model's threshold on the curve when it has one", () => {
    const marked = rendered({ singleLabel: true }, { threshold: 0.35 }).html;
    expect(chartData(marked).threshold).toBe(0.35);
    expect(marked).toContain("the dashed vertical line is the model's threshold, 0.350");
    expect(marked).toContain('label: "model threshold " + data.threshold.toFixed(3)');
  });

  it("isolates tag names in chart labels, so a right-to-left name keeps its support after it", () => {
    expect(html).toContain('const isolate = (tag) => "\\u2068" + tag + "\\u2069";');
    expect(html).toContain("const label = (tag, support) => isolate(tag)");
  });

  it("draws in the page's colour scheme, series apart by dash and point style, not colour alone", () => {
    expect(html).toContain('matchMedia("(prefers-color-scheme: dark)")');
    expect(html).toContain("Chart.defaults.color = dark");
    expect(html).toContain("Chart.defaults.borderColor = dark");
    expect(html).toContain("borderDash: s.dash, pointStyle: s.point");
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
    expect(html).toContain(
      "<dt>with tags chosen</dt><dd><b>n/a</b> no item to score: it takes 2 or more gold tags",
    );
    const data = chartData(html);
    expect(data.slices.map((slice: { name: string }) => slice.name)).not.toContain("all_explicit");
    expect(data.slices.map((slice: { name: string }) => slice.name)).toContain("has_implicit");
  });
});

describe("renderReport with tags chosen", () => {
  // Two gold tags each: one of them is chosen, the other is to find.
  const chosenItems = items.map((item) => ({
    ...item,
    gold: [...item.gold, item.gold[0] === "audio" ? "nlp" : "audio"],
  }));
  const { evaluated: _, ...report } = evaluate(tagger, chosenItems, taxonomy, { limit: 1 });
  const html = renderReport({ title: "t", report, curve: [], chartJs: "" });

  it("shows the suggested precision, recall and F1 with tags chosen beside their recall@5", () => {
    const chosen = report.with_chosen;
    expect(chosen?.n_docs).toBe(9);
    for (const [name, value] of [
      ["precision with tags chosen", chosen?.suggested.precision],
      ["recall with tags chosen", chosen?.suggested.recall],
      ["F1 with tags chosen", chosen?.suggested.f1],
      ["recall@5 with tags chosen", chosen?.at_5.recall],
    ] as const)
      expect(html).toContain(`<dt>${name}</dt><dd><b>${value?.toFixed(3)}</b>`);
  });
});
