// The validation report as text for a person at a terminal (the --json form is the report object itself).

import type { ValidationReport } from "../data/index.js";
import { visible } from "./terminal-text.js";

export function renderValidationReport(report: ValidationReport, dataFile: string): string {
  const lines: string[] = [];
  const section = (title: string, count: number, rows: string[]) => {
    if (count === 0) return;
    lines.push("", `${title} (${count})`);
    for (const row of rows) lines.push(`  ${visible(row)}`);
    if (rows.length < count) lines.push(`  ... and ${count - rows.length} more (see --json)`);
  };

  lines.push(
    `${dataFile}: ${report.items} items, ${report.labelMode}-label, ${report.errors} error(s), ${report.warnings} warning(s)`,
  );
  section(
    "ERRORS: records that could not be read",
    report.counts.schemaErrors,
    report.schemaErrors.map((e) => `${e.at}: ${e.message}`),
  );
  section(
    "ERRORS: ids used more than once",
    report.counts.duplicateIds,
    report.duplicateIds.map((d) => `id ${d.id} at ${d.at.join(", ")}`),
  );
  const taxonomyErrors = report.taxonomy.findings.filter((f) => f.severity === "error");
  section(
    "ERRORS: taxonomy",
    taxonomyErrors.length,
    taxonomyErrors.map((f) => f.message),
  );
  const taxonomyWarnings = report.taxonomy.findings.filter((f) => f.severity === "warning");
  section(
    "taxonomy warnings",
    taxonomyWarnings.length,
    taxonomyWarnings.map((f) => f.message),
  );
  section(
    "exact duplicates (same normalised title)",
    report.counts.exactDuplicates,
    report.exactDuplicates.map(
      (d) => `"${d.title}": ${d.items.map((i) => `${i.id} (${i.at})`).join(", ")}`,
    ),
  );
  section(
    "near-duplicates",
    report.counts.nearDuplicates,
    report.nearDuplicates.map(
      (d) => `${d.a.id} (${d.a.at}) ~ ${d.b.id} (${d.b.at}): similarity ${d.similarity}`,
    ),
  );
  section(
    "empty texts",
    report.counts.emptyTexts,
    report.emptyTexts.map((i) => `${i.id} (${i.at})`),
  );
  section(
    "very short texts",
    report.counts.shortTexts,
    report.shortTexts.map((i) => `${i.id} (${i.at}): ${i.words} word(s)`),
  );
  section(
    "items with no approved tag (not scored, not learned from)",
    report.counts.noApprovedTag,
    report.noApprovedTag.map((i) => `${i.id} (${i.at}): ${i.tags.join(", ") || "no tags"}`),
  );
  section(
    "author tags spelled as an alias or in another case (map them to the approved tag)",
    report.aliasTags.length,
    report.aliasTags.slice(0, 20).map((a) => `${a.tag} -> ${a.approvedTag}: ${a.count}`),
  );
  section(
    "unapproved tags by frequency (candidates for the approved list)",
    report.counts.unapprovedTags,
    report.unapprovedTags
      .slice(0, 20)
      .map((t) => `${t.tag}: ${t.count} (e.g. ${t.examples.join(", ")})`),
  );
  section(
    `rare approved tags (fewer items than the threshold)`,
    report.rareTags.length,
    report.rareTags.slice(0, 20).map((t) => `${t.tag}: ${t.count}`),
  );
  lines.push(
    "",
    `labels: ${report.labelDistribution.length} approved tags used, ${report.unusedTags.length} unused; most frequent: ${report.labelDistribution
      .slice(0, 8)
      .map((t) => `${t.tag} ${t.count}`)
      .join(", ")}`,
    report.ok ? "OK: no errors" : "FAILED: fix the errors above",
  );
  return `${lines.join("\n")}\n`;
}
