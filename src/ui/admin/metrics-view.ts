// The online metrics section: totals for the period, four charts over days, weeks or models, and a table by tag.

import { userText } from "../bidi.js";
import type { MetricsRow, OnlineMetrics } from "./admin-types.js";
import { type ConsoleContext, type ConsoleSection, showLoadFailure } from "./console-context.js";
import { formatCount, formatDecimal, formatPercent, latencyPair } from "./figures.js";
import { MetricsCharts } from "./metrics-charts.js";
import { type ChartGrouping, groupLabel, metricCharts } from "./metrics-series.js";
import { byId, element, showStatus, tableNote, tableRow } from "./nodes.js";

const DAY_MS = 86_400_000;

export class MetricsView implements ConsoleSection {
  private readonly charts = new MetricsCharts();
  private loaded = false;
  /** Answers to an older choice of grouping are dropped when a newer one was asked. */
  private request = 0;

  private readonly by = byId<HTMLSelectElement>("metrics-by");
  private readonly period = byId<HTMLSelectElement>("metrics-period");
  private readonly status = byId("metrics-status");
  private readonly overall = byId("metrics-overall");
  private readonly byTag = byId<HTMLTableElement>("metrics-by-tag").tBodies[0];

  constructor(private readonly context: ConsoleContext) {
    this.by.addEventListener("change", () => void this.load());
    this.period.addEventListener("change", () => void this.load());
    byId("metrics-refresh").addEventListener("click", () => void this.load());
  }

  show(): void {
    if (!this.loaded) void this.load();
  }

  clear(): void {
    this.loaded = false;
    this.request++;
    this.charts.clear();
    this.overall.replaceChildren();
    this.byTag.replaceChildren();
    showStatus(this.status, "");
  }

  private async load(): Promise<void> {
    this.loaded = true;
    const request = ++this.request;
    const by = this.by.value as ChartGrouping;
    const days = Number(this.period.value);
    // Days are UTC and both ends included: the last 7 days are today and the 6 before.
    const from = days
      ? new Date(Date.now() - (days - 1) * DAY_MS).toISOString().slice(0, 10)
      : undefined;
    showStatus(this.status, "Loading…");
    let grouped: OnlineMetrics;
    let tags: OnlineMetrics;
    try {
      const api = this.context.api();
      [grouped, tags] = await Promise.all([
        api.onlineMetrics({ by, from }),
        api.onlineMetrics({ by: "tag", from }),
      ]);
    } catch (error) {
      if (request !== this.request) return;
      this.loaded = false;
      showLoadFailure(this.status, error, "The online metrics");
      return;
    }
    if (request !== this.request) return;
    showStatus(
      this.status,
      grouped.groups.length ? "" : "No suggestions shown in this period yet.",
    );
    this.renderOverall(grouped.overall);
    this.charts.draw(metricCharts(grouped.groups, by));
    this.renderByTag(tags.groups);
  }

  private renderOverall(row: MetricsRow): void {
    const stats: [string, string][] = [
      ["Suggestions shown", formatCount(row.shown)],
      ["Accepted", `${formatCount(row.accepted)} (${formatPercent(row.acceptance_rate)})`],
      ["Reports per 1,000", formatDecimal(row.reports_per_1000)],
      ["Proxy recall", formatPercent(row.proxy_recall)],
      ["Proxy precision", formatPercent(row.proxy_precision)],
      ["Latency p50 / p95", latencyPair(row.latency_ms)],
      ["Content saved", formatCount(row.saved_items)],
    ];
    this.overall.replaceChildren(
      ...stats.map(([term, value]) => {
        const stat = element("div", "stat");
        stat.append(element("dt", "", term), element("dd", "", value));
        return stat;
      }),
    );
  }

  private renderByTag(groups: readonly MetricsRow[]): void {
    if (groups.length === 0) {
      tableNote(this.byTag, 7, "No tags shown in this period yet.");
      return;
    }
    // The service lists tags most shown first already; sorting again keeps the table right if that changes.
    const rows = [...groups].sort(
      (a, b) => b.shown - a.shown || groupLabel(a).localeCompare(groupLabel(b)),
    );
    this.byTag.replaceChildren(
      ...rows.map((row) =>
        tableRow(
          [
            userText(element("span"), groupLabel(row)),
            formatCount(row.shown),
            formatCount(row.accepted),
            formatPercent(row.acceptance_rate),
            formatDecimal(row.reports_per_1000),
            formatPercent(row.proxy_recall),
            formatPercent(row.proxy_precision),
          ],
          1,
          [1, 2, 3, 4, 5, 6],
        ),
      ),
    );
  }
}
