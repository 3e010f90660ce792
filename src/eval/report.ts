// The evaluation report as one self-contained HTML page with charts (Chart.js inlined), for people to look at.

import type { CurvePoint } from "./curve.js";
import type { EvalReport } from "./evaluate.js";

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
  curve: CurvePoint[];
  /** Source of Chart.js's UMD build, inlined so the page needs no network. */
  chartJs: string;
}

export function renderReport({ title, report, unscored = 0, curve, chartJs }: ReportInput): string {
  const tags = Object.entries(report.per_tag)
    .filter(([, s]) => s.support > 0)
    .sort(([, a], [, b]) => b.support - a.support)
    .slice(0, 40);
  // Below the macro average only: with a few classes (single-label data) the ten lowest would be every class.
  const weakest = Object.entries(report.per_tag)
    .filter(([, s]) => s.support >= 3 && s.f1 < report.macro.f1)
    .sort(([, a], [, b]) => a.f1 - b.f1 || b.support - a.support)
    .slice(0, 10);
  const s = report.suggested;
  // A group with no item (an empty slice, no item to choose tags of) has no score: "n/a", and no bar in the chart.
  const shown = (x: number | null) => (x === null ? "n/a" : x.toFixed(3));
  const cell = (x: number | null) => `<td>${shown(x)}</td>`;
  const data = {
    curve,
    tags: tags.map(([tag, t]) => ({ tag, f1: t.f1, support: t.support })),
    slices: Object.entries(report.slices)
      .filter(([, x]) => x.n_docs > 0)
      .map(([name, x]) => ({ name, ...x })),
  };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { max-width: 1100px; margin: 2rem auto; padding: 0 1rem; line-height: 1.4; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: .75rem; }
.card { border: 1px solid #8884; border-radius: 8px; padding: .75rem; }
.card b { display: block; font-size: 1.6rem; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 1.5rem; margin: 1.5rem 0; }
table { border-collapse: collapse; } td, th { padding: .25rem .6rem; border-bottom: 1px solid #8884; text-align: right; }
td:first-child, th:first-child { text-align: left; }
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>${report.n_docs} items scored, at most ${report.limit} suggestion${report.limit === 1 ? "" : "s"} each${unscored > 0 ? `; ${unscored} more have no approved tag and are not scored` : ""}.</p>
<div class="cards">
${report.single_label ? `<div class="card">accuracy<b>${report.single_label.accuracy.toFixed(3)}</b>single label, top 1</div>\n<div class="card">weighted F1<b>${report.single_label.weighted_f1.toFixed(3)}</b>single label</div>\n` : ""}<div class="card">precision<b>${s.precision.toFixed(3)}</b>of suggested tags</div>
<div class="card">recall<b>${s.recall.toFixed(3)}</b>of gold tags suggested</div>
<div class="card">F1<b>${s.f1.toFixed(3)}</b>${s.mean_suggested} suggested per item</div>
<div class="card">recall@5<b>${report.at_k["5"].recall.toFixed(3)}</b>top 5 of the ranking</div>
<div class="card">NDCG@5<b>${report.ndcg_at_5.toFixed(3)}</b>ranking quality</div>
<div class="card">macro F1<b>${report.macro.f1.toFixed(3)}</b>mean over tags</div>
${report.with_chosen ? `<div class="card">recall@5 with tags chosen<b>${shown(report.with_chosen.at_5.recall)}</b>${report.with_chosen.n_docs > 0 ? "of the rest, half of each item's chosen" : "no item to score: it takes 2 or more gold tags"}</div>\n` : ""}</div>
<div class="charts">
<figure><canvas id="curve" aria-label="precision and recall against threshold"></canvas><figcaption>Precision and recall against the score threshold</figcaption></figure>
<figure><canvas id="slices" aria-label="scores by slice"></canvas><figcaption>Scores by slice</figcaption></figure>
<figure style="grid-column: 1 / -1"><canvas id="tags" aria-label="F1 per tag"></canvas><figcaption>F1 of the 40 most frequent gold tags</figcaption></figure>
</div>
<h2>Weakest tags (F1 below the macro ${report.macro.f1.toFixed(3)}, support 3 or more)</h2>
${
  weakest.length === 0
    ? "<p>None.</p>"
    : `<table><tr><th>tag</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>
${weakest.map(([tag, t]) => `<tr><td>${escapeHtml(tag)}</td>${cell(t.precision)}${cell(t.recall)}${cell(t.f1)}<td>${t.support}</td></tr>`).join("\n")}
</table>`
}
<h2>Slices</h2>
<table><tr><th>slice</th><th>items</th><th>precision</th><th>recall</th><th>F1</th></tr>
${Object.entries(report.slices)
  .map(
    ([name, x]) =>
      `<tr><td>${escapeHtml(name)}</td><td>${x.n_docs}</td>${cell(x.precision)}${cell(x.recall)}${cell(x.f1)}</tr>`,
  )
  .join("\n")}
</table>
<script>${chartJs}</script>
<script>
const data = ${scriptJson(data)};
new Chart(document.getElementById("curve"), { type: "line", data: {
  labels: data.curve.map((p) => p.threshold.toFixed(2)),
  datasets: ["precision", "recall", "f1"].map((k) => ({ label: k, data: data.curve.map((p) => p[k]), pointRadius: 0 })) },
  options: { scales: { x: { title: { display: true, text: "threshold" } }, y: { min: 0, max: 1 } } } });
new Chart(document.getElementById("slices"), { type: "bar", data: { labels: data.slices.map((s) => s.name + " (" + s.n_docs + ")"),
  datasets: ["precision", "recall", "f1"].map((k) => ({ label: k, data: data.slices.map((s) => s[k]) })) },
  options: { scales: { y: { min: 0, max: 1 } } } });
new Chart(document.getElementById("tags"), { type: "bar", data: { labels: data.tags.map((t) => t.tag + " (" + t.support + ")"),
  datasets: [{ label: "F1", data: data.tags.map((t) => t.f1) }] }, options: { scales: { y: { min: 0, max: 1 } } } });
</script>
</body></html>
`;
}
