// The model card: what a version is for, what it learned from, how well it does overall, per tag and per slice,
// where it is weak and what it cannot do. Pure: rendered from the version's manifest, held-out metrics and history.

import { type TagScores, unscoredClause } from "../eval/index.js";
import { overlayFilesOf } from "../model/index.js";
import { byCodeUnit, counted } from "../text/index.js";
import { describeHoldOut, type TrainedModel } from "../train/index.js";
import { candidateSawGold } from "./gate.js";
import { gateObjections } from "./gate-words.js";
import {
  DEFAULT_REGISTRY_DIR,
  type GateRecord,
  type GateScores,
  gateGoldFiles,
  type ModelVersion,
  type StageChange,
  type VersionManifest,
} from "./schema.js";

/** Tags with fewer held-out items than this are not ranked: one or two items say little. */
export const CARD_MIN_SUPPORT = 3;
/** Below this held-out F1 (with enough support) a tag is listed as weak. */
export const WEAK_TAG_F1 = 0.5;
const TAGS_SHOWN = 5;

/** A version's metrics.json; `n_unscored` is absent in files written before it was counted. */
export type HeldOutMetrics = Omit<TrainedModel["heldOut"], "n_unscored"> & { n_unscored?: number };

export interface CardInput {
  version: ModelVersion;
  /** metrics.json of the version; null when the model directory had none. */
  heldOut: HeldOutMetrics | null;
}

/**
 * A GFM table. A cell's "|" is escaped (GFM reads it as a column break even inside a code span, so a tag "ci|cd" moved
 * every number of its row one column left) and a line break becomes a space (it would end the row).
 */
const table = (header: string[], rows: (string | number)[][]): string[] => {
  const cell = (value: string | number) =>
    String(value)
      .replace(/\|/g, "\\|")
      .replace(/\r\n?|\n/g, " ");
  return [
    `| ${header.map(cell).join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ];
};

/**
 * A code span that holds any text: fenced by one backtick more than its longest run of them, with a space inside the
 * fence when the text starts or ends with one (CommonMark strips one such space from each side).
 */
export function code(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = s.startsWith("`") || s.endsWith("`") ? " " : "";
  return `${fence}${pad}${s}${pad}${fence}`;
}

const overlaysNote = (overlays: readonly string[]) =>
  overlays.length === 0
    ? ""
    : ` with overlay${overlays.length > 1 ? "s" : ""} ${overlays.map(code).join(" then ")}`;

function stageLine(version: ModelVersion): string {
  const last = version.history.at(-1);
  return last ? `${version.stage} (since ${last.at})` : version.stage;
}

function rankedTags(perTag: Record<string, TagScores>): [string, TagScores][] {
  return supportedTags(perTag).sort(
    ([a, x], [b, y]) => y.f1 - x.f1 || y.support - x.support || byCodeUnit(a, b),
  );
}

/** Worst first: lowest F1, and among equals the most held-out items (the surest of being weak). */
function weakestTags(perTag: Record<string, TagScores>): [string, TagScores][] {
  return supportedTags(perTag).sort(
    ([a, x], [b, y]) => x.f1 - y.f1 || y.support - x.support || byCodeUnit(a, b),
  );
}

const supportedTags = (perTag: Record<string, TagScores>) =>
  Object.entries(perTag).filter(([, s]) => s.support >= CARD_MIN_SUPPORT);

function tagRows(tags: [string, TagScores][]): string[] {
  return table(
    ["tag", "support", "precision", "recall", "F1"],
    tags.map(([tag, s]) => [code(tag), s.support, s.precision, s.recall, s.f1]),
  );
}

function gateLines(
  gate: GateRecord,
  { forced, gateSkipped }: StageChange,
  manifest: VersionManifest,
): string[] {
  const scores = (s: GateScores) => [s.suggested_f1, s.recall_at_5, s.precision, s.ndcg_at_5];
  const rows: (string | number)[][] = [["this version", ...scores(gate.candidate)]];
  if (gate.production)
    rows.push([`production then (${code(gate.production.id)})`, ...scores(gate.production.scores)]);
  const objections = gateObjections(gate.worse, candidateSawGold(gate) ?? undefined);
  const verdict = gateSkipped
    ? `promoted with --force, not compared with production: ${gateSkipped}`
    : objections.length === 0
      ? "passed the gate"
      : `${objections.join("; ")}${forced ? ", promoted with --force" : ""}`;
  return [
    `Promoted on gold data ${code(gate.gold.file)} (${counted(gate.gold.items, "item")}, ${gate.gold.fingerprint}): ${verdict}.`,
    ...trainedOnGoldLines(gate, manifest),
    "",
    ...table(["model", "suggested F1", "recall@5", "precision", "NDCG@5"], rows),
  ];
}

/**
 * Scores on the data a model learned from flatter it: said when this version saw gold items, as the gate counted them
 * (near-duplicates too), or, in records written before the gate counted, when the gold data was a training file.
 */
function trainedOnGoldLines(gate: GateRecord, manifest: VersionManifest): string[] {
  const optimistic = "its scores there are optimistic, not an estimate of quality on new content.";
  const counted = gate.trainedOnGold?.candidate;
  if (counted === undefined) {
    const goldWasTrainingData =
      gate.gold.fingerprint === manifest.data.fingerprint ||
      (manifest.data.sources ?? []).some(
        (s) => gateGoldFiles(gate).includes(s.path) || s.fingerprint === gate.gold.fingerprint,
      );
    return goldWasTrainingData
      ? ["", `This version was trained on that gold data: ${optimistic}`]
      : [];
  }
  if (counted === null)
    return [
      "",
      `Whether this version was trained on the gold data is unknown: its training files could not be read when it was gated${gate.trainedOnGold?.candidateUnreadable ? ` (${gate.trainedOnGold.candidateUnreadable})` : ""}.`,
    ];
  return counted > 0
    ? [
        "",
        `This version was trained on ${counted} of the ${gate.gold.items} gold items: ${optimistic}`,
      ]
    : [];
}

function historyRows(history: StageChange[]): string[] {
  return table(
    ["time", "action", "stage", "forced", "other version"],
    history.map((h) => [
      h.at,
      h.action,
      h.from ? `${h.from} -> ${h.stage}` : h.stage,
      h.forced ? "yes" : "no",
      h.other ? code(h.other) : "",
    ]),
  );
}

export function renderModelCard({ version, heldOut }: CardInput): string {
  const m = version.manifest;
  const lines: string[] = [];
  const push = (...more: string[]) => lines.push(...more);
  const commit = m.code?.commit ? `, commit ${m.code.commit.slice(0, 12)}` : "";
  push(
    `# Model card: ${version.id}`,
    "",
    ...table(
      ["", ""],
      [
        ["tagger", code(m.kind)],
        ["labels", m.labelMode === "single" ? "one tag per item" : "several tags per item"],
        ["stage", stageLine(version)],
        ["created", m.createdAt ?? "not recorded"],
        ["registered", m.registry.registeredAt],
        ["code", `tagsmith ${m.code?.version ?? m.tagsmithVersion}${commit}`],
        ["model.bin", `sha256 ${m.modelSha256}, ${m.modelBytes} bytes`],
      ],
    ),
    "",
    "## Intended use",
    "",
    "Suggests tags from the platform's approved tag list for machine-learning content (articles, papers, videos,",
    "code) from its title and description, while an author writes: explicit tags (named in the text, with the words",
    "as evidence) and implicit ones (learned from labeled content). An author accepts or dismisses each suggestion;",
    "the model is not meant to tag content on its own, nor to judge content outside machine learning.",
    "",
    "## Data",
    "",
  );
  const sources = m.data.sources ?? [];
  if (sources.length > 0) {
    push(
      ...table(
        ["file", "items", "fingerprint"],
        sources.map((s) => [code(s.path), s.items, code(s.fingerprint)]),
      ),
      "",
    );
  } else push(`Files: ${m.data.files.join(", ")} (paths not recorded).`, "");
  const range = m.data.dateRange
    ? `, created ${m.data.dateRange.from} to ${m.data.dateRange.to}`
    : "";
  push(
    `- ${counted(m.data.items, "item")}${range}; data fingerprint ${code(m.data.fingerprint)}.`,
    `- Taxonomy: ${m.taxonomy.tags} approved tags from ${m.taxonomy.path ? code(m.taxonomy.path) : (m.taxonomy.file ?? "the labels in the data")}${overlaysNote(overlayFilesOf(m.taxonomy))}; fingerprint ${code(m.taxonomy.fingerprint)}.`,
  );
  if (heldOut)
    push(
      `- Held out: ${counted(heldOut.items, "labeled item")} (${describeHoldOut(heldOut.split)}${heldOut.n_unscored ? `; ${unscoredClause(heldOut.n_unscored)}` : ""}), scored with a model trained without them; the registered model is then refit on all items.`,
    );
  push(
    "",
    "## Training",
    "",
    `- Seed ${m.seed}; configuration:`,
    "",
    "```json",
    JSON.stringify(m.config, null, 2),
    "```",
    "",
    `- Training time: ${trainingSeconds(m.timings)}.`,
    `- Reproduce: ${code(`tagsmith models reproduce ${version.id}`)} (with ${code("--registry DIR")} for a registry other than ${code(`./${DEFAULT_REGISTRY_DIR}`)}) retrains from the files above and checks that model.bin is byte-identical.`,
    "",
  );

  push("## Metrics", "");
  if (!heldOut) push("No held-out metrics were recorded (metrics.json missing).", "");
  else {
    const s = heldOut.suggested;
    push(
      `Held out, ${counted(heldOut.items, "item")}, at most ${counted(heldOut.limit, "suggestion")} per item:`,
      "",
      ...table(
        ["metric", "value"],
        [
          ["suggested precision", s.precision],
          ["suggested recall", s.recall],
          ["suggested F1", s.f1],
          ["samples F1", s.samples_f1],
          ["suggestions per item", s.mean_suggested],
          [
            "recall@1 / @3 / @5",
            ["1", "3", "5"].map((k) => heldOut.at_k[k as "1"].recall).join(" / "),
          ],
          ["precision@5", heldOut.at_k["5"].precision],
          ["NDCG@5", heldOut.ndcg_at_5],
          [
            "macro F1 (unweighted mean over tags gold or suggested in the held-out items)",
            heldOut.macro.f1,
          ],
          ...(heldOut.single_label
            ? [
                ["accuracy", heldOut.single_label.accuracy],
                ["weighted F1", heldOut.single_label.weighted_f1],
              ]
            : []),
        ],
      ),
      "",
    );
    const ranked = rankedTags(heldOut.per_tag);
    push(`### Per tag (held-out support >= ${CARD_MIN_SUPPORT})`, "");
    if (ranked.length === 0)
      push(`No tag has ${CARD_MIN_SUPPORT} or more held-out items: too few to rank tags.`, "");
    else if (ranked.length <= 2 * TAGS_SHOWN) push("Best first:", "", ...tagRows(ranked), "");
    else {
      push("Strongest:", "", ...tagRows(ranked.slice(0, TAGS_SHOWN)), "");
      push("Weakest:", "", ...tagRows(weakestTags(heldOut.per_tag).slice(0, TAGS_SHOWN)), "");
    }
    push(
      "### Per slice",
      "",
      ...table(
        ["slice", "items", "precision", "recall", "F1"],
        // An empty slice has no scores: null in metrics.json (0 in files written before).
        Object.entries(heldOut.slices).map(([name, x]) =>
          x.n_docs === 0
            ? [name, 0, "-", "-", "-"]
            : [name, x.n_docs, ...[x.precision, x.recall, x.f1].map((v) => v ?? "-")],
        ),
      ),
      "",
      "`short_text`: fewer than 7 words; `all_explicit`: every gold tag is named in the text;",
      "`has_implicit`: at least one gold tag is only implied.",
      "",
    );
  }

  push("## Known weak tags", "");
  if (heldOut) {
    const weak = weakestTags(heldOut.per_tag).filter(([, s]) => s.f1 < WEAK_TAG_F1);
    push(
      weak.length === 0
        ? `No tag with ${CARD_MIN_SUPPORT} or more held-out items has F1 below ${WEAK_TAG_F1}.`
        : `Held-out F1 below ${WEAK_TAG_F1} (support >= ${CARD_MIN_SUPPORT}): ${weak.map(([t, s]) => `${code(t)} (${s.f1})`).join(", ")}.`,
    );
    const measured = Object.values(heldOut.per_tag).filter((s) => s.support > 0).length;
    const unmeasured = Math.max(0, m.taxonomy.tags - measured);
    if (unmeasured > 0)
      push(
        "",
        `${unmeasured} of the ${m.taxonomy.tags} approved tags have no held-out item: their quality is not measured.`,
      );
  } else push("Unknown: no held-out metrics.");
  push(
    "",
    "## Limits",
    "",
    `- Only the ${m.taxonomy.tags} approved tags of its taxonomy: a new concept needs a taxonomy change and a new model.`,
    "- English text: titles and descriptions in other languages get explicit matches at best, and Chinese or Japanese written without spaces none (a tag name is matched as whole words).",
    `- Time drift: it knows content${m.data.dateRange ? ` up to ${m.data.dateRange.to.slice(0, 10)}` : " up to its training data"}; tools and topics that appear later are missed until it is retrained and promoted through the gate.`,
    `- Rare tags: a tag with few labeled items is learned poorly and is suggested mostly when named in the text.`,
    ...(heldOut && heldOut.items < 200
      ? [
          `- Small held-out set (${counted(heldOut.items, "item")}): differences of a few points between models are noise.`,
        ]
      : []),
    "",
    "## Stage history",
    "",
  );
  const promoted = [...version.history]
    .reverse()
    .find((h) => h.action === "promote" && h.stage === "production");
  if (promoted?.gateSkipped && !promoted.gate)
    push(
      `Promoted with --force, with no gold data and not compared with production: ${promoted.gateSkipped}.`,
      "",
    );
  const gateChange = [...version.history].reverse().find((h) => h.action === "promote" && h.gate);
  if (gateChange?.gate) push(...gateLines(gateChange.gate, gateChange, m), "");
  // A refusal changes no stage, so no history entry holds it: the gate's last verdict does.
  const last = version.lastGate;
  if (last?.outcome === "refused")
    push(
      `The promotion gate refused it (${last.at.slice(0, 16).replace("T", " ")}Z${last.production ? `, against production ${code(last.production)}` : ""}): ${gateObjections(last.worse, last.seen).join("; ")}. Its stage did not change.`,
      "",
    );
  push(...historyRows(version.history), "");
  return lines.join("\n");
}

function trainingSeconds(timings: unknown): string {
  const t = timings as { fitSeconds?: number; tuneSeconds?: number; refitSeconds?: number } | null;
  if (!t || typeof t.fitSeconds !== "number") return "not recorded";
  const total = (t.fitSeconds ?? 0) + (t.tuneSeconds ?? 0) + (t.refitSeconds ?? 0);
  return `${Math.round(total * 100) / 100} s (fit ${t.fitSeconds} s, tune ${t.tuneSeconds} s, refit ${t.refitSeconds} s)`;
}
