import { describe, expect, it } from "vitest";
import type { MetricsRow } from "./admin-types.js";
import { chartSummary, metricCharts } from "./metrics-series.js";

const row = (key: string, over: Partial<MetricsRow> = {}): MetricsRow => ({
  key,
  shown: 100,
  accepted: 40,
  reported: 1,
  acceptance_rate: 0.4,
  reports_per_1000: 10,
  saved_items: 5,
  proxy_recall: 0.5,
  proxy_precision: 0.75,
  latency_ms: { p50: 30, p95: 90, n: 100 },
  ...over,
});

describe("metricCharts", () => {
  it("draws days as lines, oldest first, one point per group in every chart", () => {
    const charts = metricCharts([row("2026-05-03"), row("2026-05-01"), row("2026-05-02")], "day");
    expect(charts.map((c) => c.id)).toEqual(["acceptance", "proxy", "reports", "latency"]);
    for (const chart of charts) {
      expect(chart.kind).toBe("line");
      expect(chart.labels).toEqual(["2026-05-01", "2026-05-02", "2026-05-03"]);
      for (const series of chart.series) expect(series.values).toHaveLength(3);
    }
  });

  it("draws models as bars in the service's order", () => {
    const charts = metricCharts([row("v2"), row("v1")], "model");
    expect(charts[0]).toMatchObject({ kind: "bar", labels: ["v2", "v1"] });
  });

  it("plots rates as percentages and keeps missing values as gaps", () => {
    const [acceptance, proxy, , latency] = metricCharts(
      [row("2026-W18", { acceptance_rate: null, proxy_recall: 0.123 }), row("2026-W19")],
      "week",
    );
    expect(acceptance.series[0].values).toEqual([null, 40]);
    expect(proxy.series.map((s) => s.name)).toEqual(["Proxy recall", "Proxy precision"]);
    expect(proxy.series[0].values[0]).toBe(12.3);
    expect(latency.series.map((s) => s.values)).toEqual([
      [30, 30],
      [90, 90],
    ]);
  });

  it("names the group of events that named no model", () => {
    expect(metricCharts([row("v1"), row("x", { key: null })], "model")[0].labels).toEqual([
      "v1",
      "no model named",
    ]);
  });

  it("describes each chart in a sentence for screen readers", () => {
    const [acceptance] = metricCharts([row("2026-05-01"), row("2026-05-02")], "day");
    expect(chartSummary(acceptance)).toMatch(
      /2026-05-01 to 2026-05-02.*2026-05-02: Acceptance rate 40/,
    );
    expect(chartSummary(metricCharts([], "day")[0])).toMatch(/no data yet/);
    const [odd] = metricCharts([row("2026-05-01", { acceptance_rate: 2 / 9 })], "model");
    expect(chartSummary(odd)).toBe(
      "Acceptance rate (% of shown suggestions accepted) by model. 2026-05-01: Acceptance rate 22.2.",
    );
  });
});
