// The online metrics drawn with Chart.js on the page's canvases. Only the pieces used are registered (lines, bars,
// two scales, legend, tooltip), which keeps the bundle small; nothing here needs eval or inline styles, so the
// page's strict CSP holds. Each canvas also carries what it shows as data attributes (data-points, data-series),
// the same numbers the Chart instance holds, for tests and for anyone inspecting the page.

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";
import { type ChartSpec, chartSummary } from "./metrics-series.js";
import { byId } from "./nodes.js";

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

/** Colours come from the palette in base.css, so light and dark are decided in one place. */
function palette(): { text: string; grid: string; series: string[] } {
  const style = getComputedStyle(document.documentElement);
  const value = (name: string) => style.getPropertyValue(name).trim();
  return {
    text: value("--muted"),
    grid: value("--grid"),
    series: [value("--series-1"), value("--series-2")],
  };
}

function config(spec: ChartSpec): ChartConfiguration<"line" | "bar"> {
  const colours = palette();
  const percent = spec.unit.startsWith("%");
  return {
    type: spec.kind,
    data: {
      labels: spec.labels,
      datasets: spec.series.map((series, i) => ({
        label: series.name,
        data: series.values,
        borderColor: colours.series[i % colours.series.length],
        backgroundColor: colours.series[i % colours.series.length],
        borderWidth: 2,
        pointRadius: 3,
        tension: 0.2,
        maxBarThickness: 48,
      })),
    },
    options: {
      // Calm, and the same picture every time (tests and screenshots too).
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      color: colours.text,
      plugins: {
        legend: { display: spec.series.length > 1, labels: { color: colours.text, boxWidth: 12 } },
        tooltip: {
          callbacks: {
            label: (item) =>
              `${item.dataset.label}: ${item.formattedValue}${percent ? "%" : spec.id === "latency" ? " ms" : ""}`,
          },
        },
      },
      scales: {
        x: {
          ticks: { color: colours.text, maxRotation: 0, autoSkip: true },
          grid: { display: false },
        },
        y: {
          beginAtZero: true,
          ...(percent ? { suggestedMax: 100 } : {}),
          ticks: { color: colours.text, precision: 0 },
          grid: { color: colours.grid },
          title: { display: true, text: spec.unit, color: colours.text },
        },
      },
    },
  };
}

export class MetricsCharts {
  private readonly charts = new Map<ChartSpec["id"], Chart<"line" | "bar">>();
  private specs: ChartSpec[] = [];

  constructor() {
    // The reader switched light/dark: redraw with the other palette.
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
      if (this.specs.length) this.draw(this.specs);
    });
  }

  draw(specs: ChartSpec[]): void {
    this.specs = specs;
    for (const spec of specs) {
      const canvas = byId<HTMLCanvasElement>(`chart-${spec.id}`);
      this.charts.get(spec.id)?.destroy();
      const chart = new Chart(canvas, config(spec));
      this.charts.set(spec.id, chart);
      canvas.dataset.kind = spec.kind;
      canvas.dataset.points = String(chart.data.labels?.length ?? 0);
      canvas.dataset.series = String(chart.data.datasets.length);
      canvas.setAttribute("aria-label", chartSummary(spec));
    }
  }

  clear(): void {
    for (const [id, chart] of this.charts) {
      chart.destroy();
      const canvas = byId<HTMLCanvasElement>(`chart-${id}`);
      delete canvas.dataset.points;
      delete canvas.dataset.series;
      delete canvas.dataset.kind;
      canvas.removeAttribute("aria-label");
    }
    this.charts.clear();
    this.specs = [];
  }
}
