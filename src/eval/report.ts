// The evaluation report as one self-contained HTML page with charts (Chart.js inlined), for people to look at.

import { counted } from "../text/index.js";
import type { CurvePoint } from "./curve.js";
import type { EvalReport } from "./evaluate.js";
import type { Confusion } from "./metrics.js";

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

/** JSON safe to place inside a <script> element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

export interface ReportInput {
  title: string;
  report: Omit<EvalReport, "evaluated">;
  /** Items of the data with no approved tag, so not scored. */
  unscored?: number;
  /** Which model was scored: its version id, when it was trained, on what. */
  model?: { id: string; version: string; data: readonly string[] };
  /** Scored items the model was trained on (null: its training files could not be read to tell). */
  seenInTraining?: number | null;
  curve: CurvePoint[];
  /** The score threshold the model suggests at, marked on the curve; none for a model that has no threshold. */
  threshold?: number;
  /** Gold class against predicted class, for single-label data. */
  confusion?: Confusion;
  /** Source of Chart.js's UMD build, inlined so the page needs no network. */
  chartJs: string;
}

/** The per-tag chart and its table show at most this many tags, the most frequent. */
const CHARTED_TAGS = 40;
/** A confusion table wider than this many classes is no longer small enough to read: left out, and said so. */
const CONFUSION_CLASSES = 20;
/** Height of one bar of the per-tag chart, in px: room for every tag's label. */
const TAG_ROW_PX = 22;

// A group with no item (an empty slice, no item to choose tags of) has no score: "n/a", and no bar in the chart.
const shown = (x: number | null) => (x === null ? "n/a" : x.toFixed(3));
const cell = (x: number | null) => `<td>${shown(x)}</td>`;
/** A tag name in a table cell: its own direction, so a right-to-left name does not reorder the row. */
const tagCell = (tag: string, element: "td" | "th" = "td", attributes = "") =>
  `<${element}${attributes} dir="auto">${escapeHtml(tag)}</${element}>`;
/** Items left out of scoring, as the report and the model card say it: "1 more has ...", "3 more have ...". */
export function unscoredClause(unscored: number): string {
  const [has, is] = unscored === 1 ? ["has", "is"] : ["have", "are"];
  return `${unscored} more ${has} no approved tag and ${is} not scored`;
}

/** One summary figure: a term and its value, so a screen reader reads them as pairs rather than one string. */
const card = (term: string, value: string, note: string) =>
  `<div class="card"><dt>${term}</dt><dd><b>${value}</b> ${note}</dd></div>`;

function confusionTable(confusion: Confusion | undefined): string {
  if (!confusion) return "";
  const { gold, predicted, counts } = confusion;
  const heading = "<h2>Confusion: gold class (rows) against the predicted class, top 1</h2>";
  if (Math.max(gold.length, predicted.length) > CONFUSION_CLASSES)
    return `${heading}\n<p>Left out: ${gold.length} gold and ${predicted.length} predicted classes are too many for a table.</p>`;
  const column = (tag: string | null) =>
    tag === null ? '<th scope="col">(none)</th>' : tagCell(tag, "th", ' scope="col"');
  return `${heading}
<div class="wide confusion" role="region" aria-label="confusion table" tabindex="0"><table>
<tr><th scope="col">gold \\ predicted</th>${predicted.map(column).join("")}</tr>
${gold.map((tag, i) => `<tr>${tagCell(tag, "th", ' scope="row"')}${counts[i].map((n) => `<td>${n}</td>`).join("")}</tr>`).join("\n")}
</table></div>`;
}

export function renderReport({
  title,
  report,
  unscored = 0,
  model,
  seenInTraining = 0,
  curve,
  threshold,
  confusion,
  chartJs,
}: ReportInput): string {
  const gold = Object.entries(report.per_tag).filter(([, s]) => s.support > 0);
  const tags = gold.sort(([, a], [, b]) => b.support - a.support).slice(0, CHARTED_TAGS);
  const [one, many] = report.single_label ? ["class", "classes"] : ["gold tag", "gold tags"];
  const charted =
    gold.length > tags.length
      ? `the ${tags.length} most frequent of the ${gold.length} ${many}`
      : tags.length === 1
        ? `the one ${one}`
        : `each of the ${tags.length} ${many}`;
  // Below the macro average only: with a few classes (single-label data) the ten lowest would be every class.
  const weakest = Object.entries(report.per_tag)
    .filter(([, s]) => s.support >= 3 && s.f1 < report.macro.f1)
    .sort(([, a], [, b]) => a.f1 - b.f1 || b.support - a.support)
    .slice(0, 10);
  const s = report.suggested;
  const chosen = report.with_chosen;
  const slices = Object.entries(report.slices)
    .filter(([, x]) => x.n_docs > 0)
    .map(([name, x]) => ({ name, ...x }));
  const data = {
    curve,
    threshold: threshold ?? null,
    tags: tags.map(([tag, t]) => ({ tag, ...t })),
    slices,
  };
  const best = curve.reduce<CurvePoint | undefined>(
    (a, p) => (a && a.f1 >= p.f1 ? a : p),
    undefined,
  );
  const curveSummary =
    `Line chart: precision, recall and F1 of what would be suggested at each score threshold from 0 to 1` +
    (best
      ? `; F1 is highest, ${best.f1.toFixed(3)}, at threshold ${best.threshold.toFixed(2)}`
      : "") +
    (threshold === undefined
      ? ""
      : `; a vertical line marks the model's threshold, ${threshold.toFixed(3)}`) +
    ". Every value is in the table of the curve below.";
  const slicesSummary = `Bar chart: precision, recall and F1 of ${counted(slices.length, "slice")} (${slices.map((x) => x.name).join(", ")}). The values are in the Slices table.`;
  const tagsSummary = `Horizontal bar chart: F1 of ${charted}, from ${tags[0]?.[0] ?? "none"} (the most frequent) down. Every value is in the table of the charted tags below.`;
  const chartedHeight = tags.length * TAG_ROW_PX + 70;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { max-width: 1100px; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
h1 { overflow-wrap: anywhere; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: .75rem; margin: 0; }
.card { border: 1px solid #8884; border-radius: 8px; padding: .75rem; }
.card dd { margin: 0; }
.card b { display: block; font-size: 1.6rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(480px, 100%), 1fr)); gap: 1.5rem; margin: 1.5rem 0; }
figure { margin: 0; min-width: 0; }
.tall { position: relative; }
table { border-collapse: collapse; } td, th { padding: .25rem .6rem; border-bottom: 1px solid #8884; text-align: right; }
/* A long name breaks anywhere rather than push the table past a phone's width. */
td:first-child, th:first-child { text-align: left; overflow-wrap: anywhere; }
.wide { overflow-x: auto; max-width: 100%; }
.confusion th { overflow-wrap: normal; }
details { margin: 1rem 0; }
.warning { border-inline-start: 4px solid #b35900; padding: .5rem .75rem; background: #b3590018; }
@media (max-width: 30rem) { table { font-size: .875rem; } td, th { padding: .25rem .3rem; } }
</style></head><body><main>
<h1>${escapeHtml(title)}</h1>
${model ? `<p>Model ${escapeHtml(model.id)}, trained ${escapeHtml(model.version)} on ${model.data.map(escapeHtml).join(", ")}.</p>` : ""}
${
  seenInTraining
    ? `<p class="warning" role="note"><strong>Not held out:</strong> ${seenInTraining} of the ${report.n_docs} scored items are in the model's training data (the same or nearly the same text), so the scores below flatter it. Score it on items it was not trained on; its held-out scores are in its metrics.json.</p>`
    : ""
}
<p>${counted(report.n_docs, "item")} scored, at most ${counted(report.limit, "suggestion")} each${unscored > 0 ? `; ${unscoredClause(unscored)}` : ""}.</p>
<dl class="cards">
${[
  ...(report.single_label
    ? [
        card("accuracy", report.single_label.accuracy.toFixed(3), "single label, top 1"),
        card("weighted F1", report.single_label.weighted_f1.toFixed(3), "single label"),
      ]
    : []),
  card("precision", s.precision.toFixed(3), "of suggested tags"),
  card("recall", s.recall.toFixed(3), "of gold tags suggested"),
  card("F1", s.f1.toFixed(3), `${s.mean_suggested} suggested per item`),
  card("recall@5", report.at_k["5"].recall.toFixed(3), "top 5 of the ranking"),
  card("NDCG@5", report.ndcg_at_5.toFixed(3), "ranking quality"),
  card("macro F1", report.macro.f1.toFixed(3), "mean over tags gold or suggested"),
  ...(chosen
    ? chosen.n_docs > 0
      ? [
          card(
            "precision with tags chosen",
            shown(chosen.suggested.precision),
            "of suggested tags, half of each item's chosen",
          ),
          card("recall with tags chosen", shown(chosen.suggested.recall), "of the rest suggested"),
          card(
            "F1 with tags chosen",
            shown(chosen.suggested.f1),
            `${counted(chosen.n_docs, "item")} with 2 or more gold tags`,
          ),
          card(
            "recall@5 with tags chosen",
            shown(chosen.at_5.recall),
            "of the rest, top 5 of the ranking",
          ),
        ]
      : [card("with tags chosen", "n/a", "no item to score: it takes 2 or more gold tags")]
    : []),
].join("\n")}
</dl>
<div class="charts">
<figure><canvas id="curve" role="img" aria-label="${escapeHtml(curveSummary)}"></canvas><figcaption>Precision and recall against the score threshold${threshold === undefined ? "" : `; the dashed vertical line is the model's threshold, ${threshold.toFixed(3)}`}</figcaption></figure>
<figure><canvas id="slices" role="img" aria-label="${escapeHtml(slicesSummary)}"></canvas><figcaption>Scores by slice</figcaption></figure>
<figure style="grid-column: 1 / -1"><div class="tall" style="height: ${chartedHeight}px"><canvas id="tags" role="img" aria-label="${escapeHtml(tagsSummary)}"></canvas></div><figcaption>F1 of ${charted} (support in brackets)</figcaption></figure>
</div>
<details><summary>Table of the curve: precision, recall and F1 at each threshold</summary>
<table><tr><th scope="col">threshold</th><th scope="col">precision</th><th scope="col">recall</th><th scope="col">F1</th></tr>
${curve.map((p) => `<tr><td>${p.threshold.toFixed(2)}</td>${cell(p.precision)}${cell(p.recall)}${cell(p.f1)}</tr>`).join("\n")}
</table></details>
<details><summary>Table of the charted tags: ${charted}</summary>
<table><tr><th scope="col">tag</th><th scope="col">support</th><th scope="col">precision</th><th scope="col">recall</th><th scope="col">F1</th></tr>
${tags.map(([tag, t]) => `<tr>${tagCell(tag)}<td>${t.support}</td>${cell(t.precision)}${cell(t.recall)}${cell(t.f1)}</tr>`).join("\n")}
</table></details>
<h2>Weakest tags (F1 below the macro ${report.macro.f1.toFixed(3)}, support 3 or more)</h2>
${
  weakest.length === 0
    ? "<p>None.</p>"
    : `<table><tr><th scope="col">tag</th><th scope="col">precision</th><th scope="col">recall</th><th scope="col">F1</th><th scope="col">support</th></tr>
${weakest.map(([tag, t]) => `<tr>${tagCell(tag)}${cell(t.precision)}${cell(t.recall)}${cell(t.f1)}<td>${t.support}</td></tr>`).join("\n")}
</table>`
}
<h2>Slices</h2>
<table><tr><th scope="col">slice</th><th scope="col">items</th><th scope="col">precision</th><th scope="col">recall</th><th scope="col">F1</th></tr>
${Object.entries(report.slices)
  .map(
    ([name, x]) =>
      `<tr><td>${escapeHtml(name)}</td><td>${x.n_docs}</td>${cell(x.precision)}${cell(x.recall)}${cell(x.f1)}</tr>`,
  )
  .join("\n")}
</table>
${confusionTable(confusion)}
</main>
<script>${chartJs}</script>
<script>
const data = ${scriptJson(data)};
${CHARTS_SCRIPT}
</script>
</body></html>
`;
}

/**
 * Draws the charts in the page's colour scheme, again when it changes. Chart.js's defaults (#666 text, grid lines at
 * 10% black) are made for a white page: on a dark one the text falls below 4.5:1 and the grid disappears. Series
 * colours are opaque and at least 3:1 against either background, and the curve's lines differ by dash and point style
 * too, not by colour alone. Tag names are isolated (U+2068...U+2069) so a right-to-left name keeps "(support)" after it.
 */
const CHARTS_SCRIPT = String.raw`const scheme = matchMedia("(prefers-color-scheme: dark)");
const isolate = (tag) => "\u2068" + tag + "\u2069";
const series = [
  { key: "precision", label: "precision", light: "#1d4ed8", dark: "#60a5fa", dash: [], point: "circle" },
  { key: "recall", label: "recall", light: "#b45309", dark: "#fbbf24", dash: [6, 3], point: "triangle" },
  { key: "f1", label: "F1", light: "#047857", dark: "#34d399", dash: [2, 2], point: "rect" },
];
const label = (tag, support) => isolate(tag) + " (" + support + ")";
/** A tag's label, its name cut to leave the bars half the chart's width (the table below has every name whole). */
function tagLabel(_value, index) {
  const { tag, support } = data.tags[index];
  const room = Math.floor(this.chart.width / 2 / 7) - String(support).length - 3;
  return label(tag.length > room ? tag.slice(0, Math.max(room - 1, 1)) + "…" : tag, support);
}
let charts = [];
function draw() {
  const dark = scheme.matches;
  Chart.defaults.color = dark ? "#d4d4d4" : "#404040";
  Chart.defaults.borderColor = dark ? "rgba(255, 255, 255, 0.3)" : "rgba(0, 0, 0, 0.2)";
  Chart.defaults.plugins.legend.labels.usePointStyle = true;
  Chart.defaults.plugins.legend.labels.boxHeight = 9;
  // On a phone the default 2:1 leaves a curve 160 px high.
  const aspectRatio = innerWidth < 600 ? 1.2 : 2;
  const colour = (s) => (dark ? s.dark : s.light);
  for (const chart of charts) chart.destroy();
  const unit = { min: 0, max: 1 };
  const lines = series.map((s) => ({
    label: s.label, data: data.curve.map((p) => ({ x: p.threshold, y: p[s.key] })),
    borderColor: colour(s), backgroundColor: colour(s), borderDash: s.dash, pointStyle: s.point, pointRadius: 2.5,
  }));
  if (data.threshold !== null)
    lines.push({ label: "model threshold " + data.threshold.toFixed(3), data: [{ x: data.threshold, y: 0 }, { x: data.threshold, y: 1 }],
      borderColor: Chart.defaults.color, backgroundColor: Chart.defaults.color, borderDash: [8, 4], borderWidth: 2, pointRadius: 0, pointStyle: "line" });
  charts = [
    new Chart(document.getElementById("curve"), { type: "line", data: { datasets: lines },
      options: { aspectRatio, scales: { x: { type: "linear", ...unit, title: { display: true, text: "threshold" } }, y: unit } } }),
    new Chart(document.getElementById("slices"), { type: "bar", data: { labels: data.slices.map((s) => s.name + " (" + s.n_docs + ")"),
      datasets: series.map((s) => ({ label: s.label, data: data.slices.map((x) => x[s.key]), backgroundColor: colour(s), pointStyle: "rect" })) },
      options: { aspectRatio, scales: { y: unit } } }),
    new Chart(document.getElementById("tags"), { type: "bar", data: { labels: data.tags.map((t) => label(t.tag, t.support)),
      datasets: [{ label: "F1", data: data.tags.map((t) => t.f1), backgroundColor: colour(series[2]), pointStyle: "rect" }] },
      options: { indexAxis: "y", maintainAspectRatio: false, scales: { x: unit, y: { ticks: { autoSkip: false, callback: tagLabel } } } } }),
  ];
}
draw();
scheme.addEventListener("change", draw);
// Printing lays the page out at the paper's width: the charts follow it.
addEventListener("beforeprint", () => { for (const chart of charts) chart.resize(); });`;
