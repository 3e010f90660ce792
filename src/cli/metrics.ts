// `tagsmith metrics online`: the online metrics of GET /v1/metrics/online, read from the content store directly.

import { Command, InvalidArgumentError, Option } from "commander";
import {
  calendarDay,
  checkOnlineMetricsQuery,
  DAY_FORMAT,
  DAY_RANGE,
  ONLINE_METRICS_DEFINITIONS,
  ONLINE_METRICS_GROUPINGS,
  type OnlineMetricsReport,
  type OnlineMetricsReportRow,
  onlineMetricsReport,
} from "../store/index.js";
import { storeOption, withStore } from "./content-store.js";
import { action, EXIT, printJson } from "./run.js";

const percent = (x: number | null) => (x === null ? "-" : `${(100 * x).toFixed(1)}%`);
const decimal = (x: number | null) => (x === null ? "-" : x.toFixed(1));

/** Right-aligned numbers under their headings, the key column left-aligned. */
function table(rows: OnlineMetricsReportRow[]): string {
  const cells = [
    [
      "group",
      "shown",
      "accepted",
      "accept",
      "reports/1k",
      "saved",
      "recall",
      "precision",
      "p50 ms",
      "p95 ms",
      "latencies",
    ],
  ];
  for (const row of rows)
    cells.push([
      row.key ?? "(no model)",
      String(row.shown),
      String(row.accepted),
      percent(row.acceptance_rate),
      decimal(row.reports_per_1000),
      String(row.saved_items),
      percent(row.proxy_recall),
      percent(row.proxy_precision),
      decimal(row.latency_ms.p50),
      decimal(row.latency_ms.p95),
      String(row.latency_ms.n),
    ]);
  const widths = cells[0]?.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length))) ?? [];
  return cells
    .map((r) =>
      r
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function render(report: OnlineMetricsReport): string {
  const scope = [
    report.by ? `by ${report.by}` : null,
    report.from || report.to ? `${report.from ?? "…"} to ${report.to ?? "…"}` : null,
    report.model ? `model ${report.model}` : null,
  ].filter((part) => part !== null);
  const title = `online metrics${scope.length > 0 ? ` (${scope.join(", ")})` : ""}`;
  return `${title}\n\n${table([...report.groups, report.overall])}\n`;
}

/** A day of the calendar as YYYY-MM-DD (commander quotes the value in its message; ours says what is wrong). */
function day(value: string): string {
  if (calendarDay(value) !== null) return value;
  throw new InvalidArgumentError(
    DAY_FORMAT.test(value)
      ? `there is no such day in the calendar (${DAY_RANGE}): give one as YYYY-MM-DD (UTC), such as 2026-02-28`
      : "expected a day as YYYY-MM-DD (UTC), such as 2026-02-28",
  );
}

function onlineCommand(): Command {
  return new Command("online")
    .description(
      "acceptance, proxy recall and precision, reports and latency of the suggestions authors were shown, from the content store's events",
    )
    .addOption(new Option("--by <grouping>", "one row per group").choices(ONLINE_METRICS_GROUPINGS))
    .option("--from <day>", "first day included, YYYY-MM-DD (UTC)", day)
    .option("--to <day>", "last day included, YYYY-MM-DD (UTC)", day)
    .option(
      "--model <id>",
      "only suggestions of this model id (an id no event names gives zeros, and a note on stderr)",
    )
    .addOption(storeOption("used"))
    .option("--json", "one JSON object on stdout, as GET /v1/metrics/online answers")
    .addHelpText(
      "after",
      `\nDefinitions:\n${ONLINE_METRICS_DEFINITIONS.map((d) => `  ${d}`).join("\n")}\n`,
    )
    .action(
      action(async (opts) => {
        // A range backwards is said before the store is opened (seconds, for an embedded one).
        const query = { by: opts.by, from: opts.from, to: opts.to, model: opts.model };
        checkOnlineMetricsQuery(query);
        // Measuring must not create an empty store where there was none.
        const { report, unknownModel } = await withStore(
          opts.store,
          async (store) => ({
            report: onlineMetricsReport(query, await store.onlineMetrics(query)),
            // Zeros are right for an id no suggestion was shown with, but a mistyped id gives the same zeros.
            unknownModel: opts.model !== undefined && !(await store.modelHasEvents(opts.model)),
          }),
          { existing: true },
        );
        if (opts.json) printJson(report);
        else {
          process.stdout.write(render(report));
          if (unknownModel)
            process.stderr.write(
              `tagsmith: note: no events were recorded for model ${opts.model} in this store: an unused or mistyped id (tagsmith models list shows the registry's ids)\n`,
            );
        }
        return EXIT.ok;
      }),
    );
}

export function metricsCommand(): Command {
  return new Command("metrics")
    .description("how suggestions fare with authors")
    .addCommand(onlineCommand());
}
