// The model card from a hand-written version: every section, tags ranked only with enough support, weak tags
// named, the gate's comparison, and a warning when the gate scored the model on its own training data.

import { describe, expect, it } from "vitest";
import { code, type HeldOutMetrics, renderModelCard } from "./card.js";
import type { GateRecord, GateScores, ModelVersion, StageChange } from "./schema.js";

const prf = (f1: number, support: number) => ({ precision: f1, recall: f1, f1, support });
const slice = { precision: 0.5, recall: 0.5, f1: 0.5, n_docs: 4 };

const heldOut: HeldOutMetrics = {
  n_docs: 12,
  items: 12,
  split: "time",
  limit: 5,
  suggested: { precision: 0.8, recall: 0.7, f1: 0.75, samples_f1: 0.74, mean_suggested: 3 },
  at_k: {
    "1": { precision: 1, recall: 0.3 },
    "3": { precision: 0.7, recall: 0.6 },
    "5": { precision: 0.5, recall: 0.85 },
  },
  ndcg_at_5: 0.88,
  macro: { precision: 0.6, recall: 0.6, f1: 0.6 },
  per_tag: {
    pytorch: prf(0.9, 5),
    "computer-vision": prf(0.8, 4),
    "graph-neural-networks": prf(0.2, 3),
    audio: prf(0, 1),
  },
  slices: { short_text: slice, all_explicit: slice, has_implicit: slice },
};

const scores = (f1: number): GateScores => ({
  suggested_f1: f1,
  recall_at_5: f1,
  precision: f1,
  recall: f1,
  ndcg_at_5: f1,
  n_docs: 78,
});

const version: ModelVersion = {
  id: "m-0123456789ab",
  dir: "/registry/versions/m-0123456789ab",
  stage: "production",
  lastGate: null,
  history: [
    {
      at: "2026-01-01T00:00:00.000Z",
      action: "register",
      from: null,
      stage: "candidate",
      forced: false,
    },
    {
      at: "2026-01-02T00:00:00.000Z",
      action: "promote",
      from: "candidate",
      stage: "production",
      forced: false,
      other: "m-ba9876543210",
      gate: {
        gold: { file: "/data/content.json", fingerprint: "sha256:aa", items: 80 },
        candidate: scores(0.9),
        production: { id: "m-ba9876543210", scores: scores(0.5) },
        worse: [],
      },
    },
  ],
  manifest: {
    formatVersion: 1,
    kind: "ensemble",
    labelMode: "multi",
    modelSha256: "0123456789ab".padEnd(64, "0"),
    modelBytes: 1000,
    createdAt: "2026-01-01T00:00:00.000Z",
    data: {
      files: ["content.json"],
      fingerprint: "sha256:aa",
      items: 80,
      sources: [{ path: "/data/content.json", fingerprint: "sha256:aa", items: 80 }],
      dateRange: { from: "2021-01-05T20:34:17.000Z", to: "2021-12-21T00:14:28.000Z" },
    },
    taxonomy: {
      file: "taxonomy.json",
      fingerprint: "sha256:bb",
      tags: 30,
      path: "/data/taxonomy.json",
      overlay: null,
    },
    seed: 42,
    config: { tagger: "ensemble", limit: 5, options: {} },
    tuning: null,
    timings: { fitSeconds: 0.5, tuneSeconds: 0.1, refitSeconds: 0.4 },
    tagsmithVersion: "0.1.0",
    code: { version: "0.1.0", commit: "c0ffee".padEnd(40, "0") },
    registry: {
      id: "m-0123456789ab",
      registeredAt: "2026-01-01T00:00:01.000Z",
      source: "/models/out",
      heldOut: null,
    },
  },
};

describe("renderModelCard", () => {
  const card = renderModelCard({ version, heldOut });

  it("has every section of a model card", () => {
    for (const heading of [
      "# Model card: m-0123456789ab",
      "## Intended use",
      "## Data",
      "## Training",
      "## Metrics",
      "### Per tag (held-out support >= 3)",
      "### Per slice",
      "## Known weak tags",
      "## Limits",
      "## Stage history",
    ])
      expect(card).toContain(heading);
    expect(card).toContain("| stage | production (since 2026-01-02T00:00:00.000Z) |");
    expect(card).toContain("| `/data/content.json` | 80 | `sha256:aa` |");
    expect(card).toContain("tagsmith 0.1.0, commit c0ffee000000");
    expect(card).toContain("| suggested F1 | 0.75 |");
    expect(card).toContain("| has_implicit | 4 | 0.5 | 0.5 | 0.5 |");
    expect(card).toContain("up to 2021-12-21");
    expect(card).toContain("- Held out: 12 labeled items (the newest 15%), scored");
    expect(renderModelCard({ version, heldOut: { ...heldOut, n_unscored: 3 } })).toContain(
      "- Held out: 12 labeled items (the newest 15%; 3 more have no approved tag and are not scored), scored",
    );
    expect(card).toContain(
      "`tagsmith models reproduce m-0123456789ab` (with `--registry DIR` for a registry other than `./models`)",
    );
  });

  it("ranks only tags with enough held-out items and names the weak ones", () => {
    expect(card).toMatch(
      /`pytorch` \| 5[\s\S]*`computer-vision` \| 4[\s\S]*`graph-neural-networks` \| 3/,
    );
    expect(card).not.toContain("| `audio` |");
    expect(card).toContain("below 0.5 (support >= 3): `graph-neural-networks` (0.2)");
    expect(card).toContain("26 of the 30 approved tags have no held-out item");
  });

  it("lists weak tags worst first, and among equal F1 the one with most held-out items first", () => {
    const tags = Object.fromEntries([
      ...Array.from({ length: 8 }, (_, i) => [`good-${i}`, prf(0.9, 10)] as const),
      ["rare-zero", prf(0, 3)],
      ["common-zero", prf(0, 9)],
      ["weak", prf(0.3, 4)],
    ]);
    const many = renderModelCard({ version, heldOut: { ...heldOut, per_tag: tags } });
    const weakest = many.slice(many.indexOf("Weakest:"), many.indexOf("### Per slice"));
    const order = [...weakest.matchAll(/`([\w-]+)`/g)].map((m) => m[1]);
    expect(order.slice(0, 3)).toEqual(["common-zero", "rare-zero", "weak"]);
    expect(many).toContain(
      "below 0.5 (support >= 3): `common-zero` (0), `rare-zero` (0), `weak` (0.3)",
    );
  });

  it("shows the gate's comparison and warns that the gold data was the training data", () => {
    expect(card).toContain("passed the gate");
    expect(card).toContain("| production then (`m-ba9876543210`) | 0.5 | 0.5 | 0.5 | 0.5 |");
    expect(card).toContain("trained on that gold data: its scores there are optimistic");
  });

  /** The version promoted with --force, its gate record changed as given. */
  const forcedWith = (change: Partial<GateRecord>): ModelVersion => {
    const promote = version.history[1] as StageChange;
    return {
      ...version,
      history: [
        version.history[0] as StageChange,
        { ...promote, forced: true, gate: { ...(promote.gate as GateRecord), ...change } },
      ],
    };
  };

  it("warns of gold items the gate found in the training data under another name, and a --force past it", () => {
    // The gold data renamed and each title given a full stop: no file or fingerprint in common, but the gate matched
    // 40 of its items as near-duplicates of training items.
    const forcedPast = forcedWith({
      gold: { file: "/data/gold-copy.json", fingerprint: "sha256:cc", items: 80 },
      trainedOnGold: { candidate: 40, production: 0, candidateOnly: 40 },
    });
    const text = renderModelCard({ version: forcedPast, heldOut });
    expect(text).toContain(
      "trained on 40 of the 80 gold items (production on 0), promoted with --force.",
    );
    expect(text).toContain(
      "This version was trained on 40 of the 80 gold items: its scores there are optimistic",
    );
    expect(text).not.toContain("passed the gate");
  });

  it("says why it is unknown whether a version forced past the gate was trained on the gold data", () => {
    const unreadable = "/data/train.json: file not found: check the path";
    const forcedBlind = forcedWith({
      gold: { file: "/data/gold.json", fingerprint: "sha256:cc", items: 80 },
      trainedOnGold: {
        candidate: null,
        production: 0,
        candidateOnly: null,
        candidateUnreadable: unreadable,
      },
    });
    expect(renderModelCard({ version: forcedBlind, heldOut })).toContain(
      `Whether this version was trained on the gold data is unknown: its training files could not be read when it was gated (${unreadable}).`,
    );
  });

  it("is the same text for the same version", () => {
    expect(renderModelCard({ version, heldOut })).toBe(card);
  });

  it("orders tied tags by code point, not by the machine's locale", () => {
    // A locale puts "alpha" before "Beta" and "e" before "f"; code points put capitals first and "e" with an accent last.
    const tied = Object.fromEntries(
      ["é-tag", "alpha", "Beta", "f-tag"].map((t) => [t, prf(0.7, 4)]),
    );
    const ranked = renderModelCard({ version, heldOut: { ...heldOut, per_tag: tied } })
      .split("\n")
      .filter((line) => /^\| `[^`]+` \| 4 \|/.test(line))
      .map((line) => line.split("`")[1]);
    expect(ranked).toEqual(["Beta", "alpha", "f-tag", "é-tag"]);
  });

  it("keeps every table cell in its column, and every code span whole, whatever a tag name or path holds", () => {
    const odd = renderModelCard({
      version: {
        ...version,
        manifest: {
          ...version.manifest,
          data: {
            ...version.manifest.data,
            sources: [{ path: "/data/d|ata.json", fingerprint: "sha256:aa", items: 80 }],
          },
        },
      },
      heldOut: { ...heldOut, per_tag: { "ci|cd": prf(0.2, 3), "tick`tag": prf(0.3, 4) } },
    });
    // Cells as GFM reads a row: split at each "|" that is not escaped.
    const cells = (line: string) =>
      line
        .slice(2, -2)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/\\\|/g, "|"));
    const row = (first: string) => odd.split("\n").find((line) => line.startsWith(`| ${first}`));
    expect(cells(row("`ci") ?? "")).toEqual(["`ci|cd`", "3", "0.2", "0.2", "0.2"]);
    expect(cells(row("``tick") ?? "")).toEqual(["``tick`tag``", "4", "0.3", "0.3", "0.3"]);
    expect(cells(row("`/data/d") ?? "")).toEqual(["`/data/d|ata.json`", "80", "`sha256:aa`"]);
    expect(odd).toContain("below 0.5 (support >= 3): `ci|cd` (0.2), ``tick`tag`` (0.3)");
  });

  it("fences a code span by more backticks than it holds, and pads one that starts or ends with one", () => {
    expect(code("plain")).toBe("`plain`");
    expect(code("a``b")).toBe("```a``b```");
    expect(code("`edge")).toBe("`` `edge ``");
  });

  it("says the gate refused a candidate, which no history entry holds", () => {
    const [register] = version.history as [StageChange];
    const refused = renderModelCard({
      version: {
        ...version,
        stage: "candidate",
        history: [register],
        lastGate: {
          at: "2026-01-03T10:20:30.000Z",
          outcome: "refused",
          worse: ["suggested_f1", "recall_at_5"],
          production: "m-ba9876543210",
        },
      },
      heldOut,
    });
    expect(refused).toContain(
      "The promotion gate refused it (2026-01-03 10:20Z, against production `m-ba9876543210`): worse on suggested_f1 and recall_at_5. Its stage did not change.",
    );
    expect(card).not.toContain("refused");
  });

  it("says when a forced promotion was not compared with a production model that could not be loaded", () => {
    const reason =
      "production m-ba9876543210 could not be loaded (version m-ba9876543210 is damaged)";
    const [register, promote] = version.history as [StageChange, StageChange];
    const withGate = renderModelCard({
      version: {
        ...version,
        history: [
          register,
          {
            ...promote,
            forced: true,
            gateSkipped: reason,
            gate: { ...(promote.gate as GateRecord), production: null },
          },
        ],
      },
      heldOut,
    });
    expect(withGate).toContain(`: promoted with --force, not compared with production: ${reason}.`);
    expect(withGate).not.toContain("passed the gate");
    const withoutGold = renderModelCard({
      version: {
        ...version,
        history: [register, { ...promote, forced: true, gateSkipped: reason, gate: null }],
      },
      heldOut,
    });
    expect(withoutGold).toContain(
      `Promoted with --force, with no gold data and not compared with production: ${reason}.`,
    );
  });
});
