// train, eval, suggest and benchmark as a user runs them, on the bundled sample: the eval JSON contract, byte-identical
// models for the same data, config and seed (also across thread counts), and clear errors for unusable models.

import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageVersion } from "../../src/cli/code-version.js";
import { parseTrainConfig, trainFromFiles } from "../../src/train/index.js";
import { tagsmith, tagsmithAsync, tagsmithReaderGone } from "../support/cli.js";
import { SAMPLE_CONTENT, SAMPLE_TAXONOMY } from "../support/sample.js";

let work: string;
let model: string;
/** A rules model, for the tests that damage a copy of one. */
let rulesModel: string;

/**
 * A model on the sample trained in this process, as train does, for a test that breaks it: train itself is tested
 * through the CLI in this file, and each command costs a node start.
 */
async function trainInProcess(out: string, tagger: string): Promise<string> {
  await trainFromFiles({
    dataFiles: [SAMPLE_CONTENT],
    taxonomyFile: SAMPLE_TAXONOMY,
    out,
    seed: 42,
    config: parseTrainConfig({ tagger }),
    version: packageVersion(),
  });
  return out;
}

/** A copy of the rules model in `dir`, to damage. */
async function rulesModelCopy(dir: string): Promise<string> {
  await cp(rulesModel, dir, { recursive: true });
  return dir;
}

/** The data an HTML report's script draws its charts from. */
const reportData = (html: string) =>
  JSON.parse(html.slice(html.indexOf("const data = ") + 13).split(";\n")[0] as string);

const sha = async (file: string) =>
  createHash("sha256")
    .update(await readFile(file))
    .digest("hex");

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "tagsmith-models-"));
  model = join(work, "model");
  const training = tagsmithAsync([
    "train",
    "--data",
    SAMPLE_CONTENT,
    "--taxonomy",
    SAMPLE_TAXONOMY,
    "--out",
    model,
    "--json",
  ]);
  rulesModel = await trainInProcess(join(work, "rules"), "rules");
  const trained = await training;
  expect(trained.stderr).toBe("");
  expect(trained.status).toBe(0);
  expect(JSON.parse(trained.stdout)).toMatchObject({ kind: "ensemble", data: { items: 80 } });
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("tagsmith train", () => {
  it("writes the same model.bin for the same data, config and seed, whatever the number of threads", async () => {
    const again = join(work, "again");
    const result = tagsmith([
      "train",
      "--data",
      SAMPLE_CONTENT,
      "--taxonomy",
      SAMPLE_TAXONOMY,
      "--out",
      again,
      "--workers",
      "1",
    ]);
    expect(result.status).toBe(0);
    expect(await sha(join(again, "model.bin"))).toBe(await sha(join(model, "model.bin")));
  });

  it("fills an n-gram block a config gives in part from the defaults: the same model, the whole block recorded", async () => {
    const config = join(work, "partial-ngrams.json");
    await writeFile(config, JSON.stringify({ options: { linear: { words: { min: 1, max: 2 } } } }));
    const out = join(work, "partial-ngrams");
    const args = ["--data", SAMPLE_CONTENT, "--taxonomy", SAMPLE_TAXONOMY, "--config", config];
    const result = tagsmith(["train", ...args, "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    // The default words are 1- and 2-grams in 2 or more texts: so this is the default model, byte for byte.
    expect(await sha(join(out, "model.bin"))).toBe(await sha(join(model, "model.bin")));
    expect(JSON.parse(await readFile(join(out, "manifest.json"), "utf8")).config).toEqual({
      tagger: "ensemble",
      limit: 5,
      options: { linear: { words: { min: 1, max: 2, minDf: 2 } } },
    });
  });

  it("writes a different model for a different seed", async () => {
    const other = join(work, "other-seed");
    expect(
      tagsmith([
        "train",
        "--data",
        SAMPLE_CONTENT,
        "--taxonomy",
        SAMPLE_TAXONOMY,
        "--out",
        other,
        "--seed",
        "7",
      ]).status,
    ).toBe(0);
    expect(await sha(join(other, "model.bin"))).not.toBe(await sha(join(model, "model.bin")));
  });

  it("records held-out metrics and a manifest", async () => {
    const metrics = JSON.parse(await readFile(join(model, "metrics.json"), "utf8"));
    expect(metrics.items).toBeGreaterThan(5);
    // Held-out items with no approved tag are counted, as eval counts them.
    expect(metrics).toMatchObject({ n_docs: metrics.items, n_unscored: expect.any(Number) });
    expect(metrics.suggested.f1).toBeGreaterThan(0);
    const manifest = JSON.parse(await readFile(join(model, "manifest.json"), "utf8"));
    expect(manifest.data.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(manifest.modelSha256).toBe(await sha(join(model, "model.bin")));
  });

  it("says clearly when the data has too little labeled content, or a tagger name is not a tagger", async () => {
    const unlabeled = join(work, "unlabeled.json");
    const raw = JSON.parse(await readFile(SAMPLE_CONTENT, "utf8")) as { tags: string[] }[];
    await writeFile(unlabeled, JSON.stringify(raw.map((r) => ({ ...r, tags: ["code"] }))));
    const train = tagsmith([
      "train",
      "--data",
      unlabeled,
      "--taxonomy",
      SAMPLE_TAXONOMY,
      "--out",
      join(work, "u"),
    ]);
    expect(train.status).toBe(2);
    expect(train.stderr).toMatch(/too little labeled data: 0 of 80 items have an approved tag/);
    const evaluation = tagsmith(["eval", "--model", model, "--data", unlabeled]);
    expect(evaluation.status).toBe(2);
    expect(evaluation.stderr).toMatch(/nothing to score/);
    for (const name of ["toString", "constructor", "__proto__"]) {
      const result = tagsmith([
        "train",
        "--data",
        SAMPLE_CONTENT,
        "--out",
        join(work, "x"),
        "--tagger",
        name,
      ]);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`unknown tagger "${name}"`);
    }
    for (const r of [train, evaluation]) expect(r.stderr).not.toContain("    at ");
  });

  it("refuses a taxonomy with the errors data validate reports (a parent cycle, a tag its own parent)", async () => {
    const taxonomy = JSON.parse(await readFile(SAMPLE_TAXONOMY, "utf8")) as {
      tag: string;
      parents: string[];
    }[];
    const [a, b] = taxonomy as [(typeof taxonomy)[0], (typeof taxonomy)[0]];
    const cyclic = join(work, "cyclic-taxonomy.json");
    await writeFile(
      cyclic,
      JSON.stringify([
        { ...a, parents: [b.tag] },
        { ...b, parents: [a.tag, b.tag] },
        ...taxonomy.slice(2),
      ]),
    );
    const out = join(work, "from-cyclic");
    const result = tagsmith([
      "train",
      "--data",
      SAMPLE_CONTENT,
      "--taxonomy",
      cyclic,
      "--out",
      out,
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `tagsmith: ${cyclic}: "${b.tag}" lists itself as a parent (and 1 more); tagsmith data validate --data <your data> --taxonomy ${cyclic} lists every problem\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("rejects an unknown tagger and a bad config with exit 2", async () => {
    const unknown = tagsmith([
      "train",
      "--data",
      SAMPLE_CONTENT,
      "--out",
      join(work, "x"),
      "--tagger",
      "magic",
    ]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe(
      'tagsmith: --tagger: unknown tagger "magic": choose one of random, frequent, rules, keywords, knn, linear, ensemble\n',
    );
    const config = join(work, "bad-config.json");
    await writeFile(config, JSON.stringify({ options: { linear: { C: -1 } } }));
    const bad = tagsmith([
      "train",
      "--data",
      SAMPLE_CONTENT,
      "--out",
      join(work, "y"),
      "--config",
      config,
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("options.linear.C");
    expect(bad.stderr).not.toContain("    at ");
  });
});

describe("paths that cannot be written", () => {
  it("refuses a train --out that cannot be written in one line, before reading the data or training", async () => {
    const file = join(work, "a-file");
    await writeFile(file, "not a directory");
    const out = join(file, "model");
    for (const data of [SAMPLE_CONTENT, join(work, "no-such-data.json")]) {
      const result = tagsmith(["train", "--data", data, "--tagger", "rules", "--out", out]);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        `tagsmith: cannot write ${out} (ENOTDIR: a part of the path is a file, not a directory): choose another path\n`,
      );
    }
  });

  it("refuses an eval --report that cannot be written in one line, exit 2", async () => {
    const file = join(work, "another-file");
    await writeFile(file, "not a directory");
    for (const report of [join(file, "x"), file]) {
      const result = tagsmith([
        "eval",
        "--model",
        model,
        "--data",
        SAMPLE_CONTENT,
        "--report",
        report,
      ]);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        `tagsmith: cannot write ${join(report, "report.html")} (ENOTDIR: a part of the path is a file, not a directory): choose another path\n`,
      );
    }
  });
});

describe("paths where nothing can be created (/proc)", () => {
  // Node's mkdir({recursive: true}) retries for ever there: eval --report never ended; train --out passed the check
  // (root may write anywhere by its permissions), trained, then failed with a stack trace.
  it.skipIf(!existsSync("/proc/self"))(
    "refuses eval --report and train --out there at once, in one line, exit 2",
    async () => {
      const evaluated = await tagsmithAsync(
        ["eval", "--model", model, "--data", SAMPLE_CONTENT, "--report", "/proc/tagsmith-report"],
        { killAfterMs: 10_000 },
      );
      expect(evaluated.status, evaluated.stderr).toBe(2);
      expect(evaluated.stderr).toMatch(
        /^tagsmith: cannot write \/proc\/tagsmith-report\/report\.html \((ENOENT|EACCES): [^\n]*\n$/,
      );
      const trained = await tagsmithAsync(
        ["train", "--data", join(work, "no-such-data.json"), "--out", "/proc/tagsmith-model"],
        { killAfterMs: 10_000 },
      );
      expect(trained.status, trained.stderr).toBe(2);
      expect(trained.stderr).toMatch(
        /^tagsmith: cannot write \/proc\/tagsmith-model \((ENOENT|EACCES): [^\n]*\n$/,
      );
    },
  );
});

describe("train --data", () => {
  it("refuses the same file given twice, however it is spelt, before training", () => {
    const relative = `./${join("data", "sample", "content.json")}`;
    for (const [first, again] of [
      [SAMPLE_CONTENT, SAMPLE_CONTENT],
      [relative, SAMPLE_CONTENT],
    ] as const) {
      const out = join(work, "twice");
      const result = tagsmith(["train", "--data", first, again, "--tagger", "rules", "--out", out]);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        `tagsmith: data file ${SAMPLE_CONTENT} is given twice${first === again ? "" : ` (as ${first} and ${again})`}: its items would be trained on twice; give each file once\n`,
      );
      expect(existsSync(out)).toBe(false);
    }
  });

  it("warns on stderr about ids several items share, within a file or across files, and trains", async () => {
    const items = JSON.parse(await readFile(SAMPLE_CONTENT, "utf8")) as { id: string }[];
    const copies = join(work, "copies.json");
    // two items of the sample again, and one id twice within this file
    const [a, b, c] = items as [{ id: string }, { id: string }, { id: string }];
    await writeFile(copies, JSON.stringify([a, b, { ...c, id: "new-1" }, { ...c, id: "new-1" }]));
    const result = tagsmith([
      "train",
      "--data",
      SAMPLE_CONTENT,
      copies,
      "--tagger",
      "rules",
      "--out",
      join(work, "with-copies"),
    ]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toBe(
      `tagsmith: warning: 3 id(s) are each given to more than one item (${a.id}: 2 items in ${SAMPLE_CONTENT}, ${copies}; ${b.id}: 2 items in ${SAMPLE_CONTENT}, ${copies}; new-1: 2 items in ${copies}): every item is trained on, so copies count more than once; remove the copies (tagsmith data validate lists a file's duplicate ids)\n`,
    );
  });
});

describe("tagsmith eval --json", () => {
  it("prints exactly one JSON object with the documented fields", () => {
    const result = tagsmith(["eval", "--model", model, "--data", SAMPLE_CONTENT, "--json"]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    const prf = {
      precision: expect.any(Number),
      recall: expect.any(Number),
      f1: expect.any(Number),
    };
    expect(report).toMatchObject({
      n_docs: 78,
      suggested: { ...prf, samples_f1: expect.any(Number), mean_suggested: expect.any(Number) },
      at_k: {
        "1": { precision: expect.any(Number), recall: expect.any(Number) },
        "3": { precision: expect.any(Number), recall: expect.any(Number) },
        "5": { precision: expect.any(Number), recall: expect.any(Number) },
      },
      ndcg_at_5: expect.any(Number),
      macro: prf,
      with_chosen: {
        n_docs: expect.any(Number),
        draws: 5,
        suggested: prf,
        at_5: { precision: expect.any(Number), recall: expect.any(Number) },
      },
    });
    expect(report.suggested.mean_suggested).toBeLessThanOrEqual(5);
    // The model was trained on this very file: every scored item was seen, and stderr says so.
    expect(report.n_seen_in_training).toBe(78);
    expect(result.stderr).toBe(
      `tagsmith: warning: 78 of the 78 scored items are in the model's training data (the same or nearly the same text): scores on them are not held out and flatter the model; score it on items it was not trained on (its held-out scores are in ${join(model, "metrics.json")})\n`,
    );
    // Items with 2+ gold tags, some chosen and some left in at least one draw: at most all 78.
    expect(report.with_chosen.n_docs).toBeGreaterThan(0);
    expect(report.with_chosen.n_docs).toBeLessThanOrEqual(78);
    for (const name of ["short_text", "all_explicit", "has_implicit"]) {
      expect(report.slices[name]).toMatchObject({ ...prf, n_docs: expect.any(Number) });
    }
    expect(report.slices.all_explicit.n_docs + report.slices.has_implicit.n_docs).toBe(78);
    expect(report.per_tag.pytorch).toMatchObject({ ...prf, support: expect.any(Number) });
    expect(report.at_k["1"].recall).toBeLessThanOrEqual(report.at_k["5"].recall);
  });

  it("writes an HTML report with its charts inlined", async () => {
    const dir = join(work, "report");
    expect(
      tagsmith(["eval", "--model", model, "--data", SAMPLE_CONTENT, "--report", dir]).status,
    ).toBe(0);
    const html = await readFile(join(dir, "report.html"), "utf8");
    expect(html).toContain("<canvas");
    expect(html).toMatch(/Chart\.js v4/);
    expect(html).not.toMatch(/<script src=/);
    // The curve marks the threshold the model suggests at, as tuned.
    const manifest = JSON.parse(await readFile(join(model, "manifest.json"), "utf8"));
    expect(manifest.tuning.threshold).toEqual(expect.any(Number));
    expect(reportData(html).threshold).toBe(manifest.tuning.threshold);
    // It names the model, and says it was scored on its own training data (this file).
    expect(html).toContain(
      `<p>Model m-${manifest.modelSha256.slice(0, 12)}, trained ${manifest.createdAt} on`,
    );
    expect(html).toContain("<strong>Not held out:</strong> 78 of the 78 scored items");

    // Run again: the report is kept unless --force, and it never goes into the model's own directory.
    const again = tagsmith(["eval", "--model", model, "--data", SAMPLE_CONTENT, "--report", dir]);
    expect(again.status).toBe(2);
    expect(again.stderr).toBe(
      `tagsmith: ${join(dir, "report.html")} already exists: it was kept; --force replaces it, or choose another --report\n`,
    );
    expect(await readFile(join(dir, "report.html"), "utf8")).toBe(html);
    const args = ["eval", "--model", model, "--data", SAMPLE_CONTENT];
    expect(tagsmith([...args, "--report", dir, "--force"]).status).toBe(0);
    const into = tagsmith([...args, "--report", model, "--force"]);
    expect(into.status).toBe(2);
    expect(into.stderr).toBe(
      `tagsmith: ${join(model, "report.html")} would be a new file in the model in ${model} (--model), which this command reads: nothing is added there; choose another --report\n`,
    );
    expect(existsSync(join(model, "report.html"))).toBe(false);
    const forceAlone = tagsmith([...args, "--force"]);
    expect(forceAlone.status).toBe(2);
    expect(forceAlone.stderr).toMatch(
      /^tagsmith: --force replaces the report\.html of an earlier --report/,
    );
  });

  it("says how many items had no approved tag to score", async () => {
    const items = JSON.parse(await readFile(SAMPLE_CONTENT, "utf8"));
    const data = join(work, "with-unscored.json");
    const unapproved = (id: number) => ({ ...items[0], id, tags: ["not-an-approved-tag"] });
    await writeFile(data, JSON.stringify([...items, unapproved(900001), unapproved(900002)]));
    const report = JSON.parse(
      tagsmith(["eval", "--model", model, "--data", data, "--json"]).stdout,
    );
    // The sample's own items without an approved tag (78 of its items are scored, as above) and the two added.
    const unscored = items.length + 2 - 78;
    expect(report).toMatchObject({ n_docs: 78, n_unscored: unscored });
    expect(tagsmith(["eval", "--model", model, "--data", data]).stdout).toMatch(
      new RegExp(`^78 items \\(${unscored} more have no approved tag: not scored\\): suggested P`),
    );
  });
});

describe("tagsmith eval on data with groups that hold no item", () => {
  it("says null (JSON) and n/a (text) for them, not scores of 0", async () => {
    // One gold tag each, never named: no item is all explicit, and none has tags to choose from.
    const data = join(work, "no-groups.json");
    await writeFile(
      data,
      JSON.stringify([
        {
          id: 1,
          title: "Agents learning to play from rewards",
          description: "",
          tags: ["reinforcement-learning"],
        },
        {
          id: 2,
          title: "Reading the sentiment of product reviews",
          description: "",
          tags: ["natural-language-processing"],
        },
      ]),
    );
    const report = JSON.parse(
      tagsmith(["eval", "--model", model, "--data", data, "--json"]).stdout,
    );
    const none = { precision: null, recall: null, f1: null };
    // Items the model never saw: no warning, and a count of 0.
    expect(report.n_seen_in_training).toBe(0);
    expect(tagsmith(["eval", "--model", model, "--data", data]).stderr).toBe("");
    expect(report.slices.all_explicit).toEqual({ ...none, n_docs: 0 });
    expect(report.with_chosen).toEqual({
      n_docs: 0,
      draws: 5,
      suggested: none,
      at_5: { precision: null, recall: null },
    });
    expect(tagsmith(["eval", "--model", model, "--data", data]).stdout).toContain(
      "with half of each item's tags chosen (0 items): suggested F1 n/a, recall@5 of the rest n/a\n",
    );
  });
});

describe("single-label data", () => {
  it("trains a top-1 classifier and reports accuracy and weighted F1", async () => {
    const csv = join(work, "single.csv");
    const raw = JSON.parse(await readFile(SAMPLE_CONTENT, "utf8")) as {
      id: number;
      title: string;
      description: string;
      tags: string[];
      created_on: string;
    }[];
    const domain = (tags: string[]) =>
      tags.includes("computer-vision")
        ? "computer-vision"
        : tags.includes("natural-language-processing")
          ? "natural-language-processing"
          : "other";
    const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
    await writeFile(
      csv,
      `id,created_on,title,description,tag\n${raw.map((r) => [r.id, r.created_on, quote(r.title), quote(r.description), domain(r.tags)].join(",")).join("\n")}\n`,
    );
    const single = join(work, "single");
    const trained = tagsmith(["train", "--data", csv, "--out", single]);
    expect(trained.status).toBe(0);
    // The held-out line says what eval says of single-label data: accuracy and weighted F1 too.
    const heldOut = JSON.parse(await readFile(join(single, "metrics.json"), "utf8"));
    expect(heldOut).toMatchObject({
      n_unscored: 0,
      single_label: { accuracy: expect.any(Number) },
    });
    expect(trained.stdout).toMatch(
      /\nheld out \(\d+ items, time split\): suggested P [\d.]+ R [\d.]+ F1 [\d.]+, recall@5 [\d.]+; single label: accuracy [\d.]+, weighted F1 [\d.]+\n$/,
    );
    expect(trained.stdout).toContain(
      `single label: accuracy ${heldOut.single_label.accuracy}, weighted F1 ${heldOut.single_label.weighted_f1}\n`,
    );
    const report = JSON.parse(
      tagsmith(["eval", "--model", single, "--data", csv, "--json"]).stdout,
    );
    expect(report.single_label.accuracy).toBeGreaterThan(0.5);
    // A top-1 classifier: one class for every item, even where its threshold would suggest none.
    expect(report.suggested.mean_suggested).toBe(1);
    // Its ranking is whole all the same (every class, not the one suggested), for recall@3 and @5.
    expect(report.at_k["5"].precision).toBeLessThan(report.at_k["1"].precision);
    const reportDir = join(work, "single-report");
    tagsmith(["eval", "--model", single, "--data", csv, "--report", reportDir]);
    const html = await readFile(join(reportDir, "report.html"), "utf8");
    expect(html).toContain(
      `<dt>weighted F1</dt><dd><b>${report.single_label.weighted_f1.toFixed(3)}</b>`,
    );
    // A top-1 classifier suggests whatever the score: no threshold to mark. Its confusion table counts every item.
    expect(reportData(html).threshold).toBeNull();
    const confusion = html.slice(html.indexOf("<h2>Confusion"));
    const counts = [...confusion.matchAll(/<td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(counts.reduce((a, b) => a + b, 0)).toBe(report.n_docs);

    // An explicit --limit is not silently dropped: a note on stderr, the JSON on stdout still one object.
    const limited = tagsmith(["eval", "--model", single, "--data", csv, "--json", "--limit", "3"]);
    expect(limited.status).toBe(0);
    expect(JSON.parse(limited.stdout)).toMatchObject({ limit: 1 });
    // (And a warning that the model was trained on this very file.)
    expect(limited.stderr.split("\n")[0]).toBe(
      "tagsmith: note: --limit 3 is not used: single-label data is scored at 1 suggestion per item (recall@3 and @5 show the ranking)",
    );
    for (const quiet of [[], ["--limit", "1"]])
      expect(tagsmith(["eval", "--model", single, "--data", csv, ...quiet]).stderr).not.toContain(
        "note:",
      );

    // With a multi-label file, in either order: refused, naming both, before anything is written.
    for (const files of [
      [csv, SAMPLE_CONTENT],
      [SAMPLE_CONTENT, csv],
    ]) {
      const mixed = join(work, "mixed");
      const refused = tagsmith(["train", "--data", ...files, "--tagger", "rules", "--out", mixed]);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toBe(
        `tagsmith: ${csv} has one tag per item (a \`tag\` field or column) and ${SAMPLE_CONTENT} several (\`tags\`): a model learns from one kind; train on files of one kind, or write the single-label items with \`tags: [class]\` to mix them in on purpose\n`,
      );
      expect(existsSync(mixed)).toBe(false);
    }
  });
});

describe("tagsmith suggest", () => {
  it("suggests explicit tags with evidence and never the author's own", () => {
    const result = tagsmith([
      "suggest",
      "--model",
      model,
      "--title",
      "Object detection in PyTorch",
      "--tags",
      "Torch",
      "--json",
    ]);
    expect(result.status).toBe(0);
    const answer = JSON.parse(result.stdout) as {
      model: { id: string; version: string };
      suggestions: { tag: string; source: string }[];
    };
    // One object, as /v1/suggest answers: the model by its version id, and the suggestions.
    expect(answer.model).toEqual({
      id: expect.stringMatching(/^m-[0-9a-f]{12}$/),
      version: expect.any(String),
    });
    expect(Object.keys(answer)).toEqual(["model", "suggestions"]);
    const { suggestions } = answer;
    expect(suggestions.map((s) => s.tag)).toContain("object-detection");
    expect(suggestions.map((s) => s.tag)).not.toContain("pytorch");
  });
});

describe("tagsmith suggest into a pipe closed early", () => {
  it("ends quietly when the reader stops (as `| head -1` does)", async () => {
    const { status, stderr } = await tagsmithReaderGone([
      "suggest",
      "--model",
      model,
      "--title",
      "GAN image generation",
    ]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
  });

  it("keeps its status when the reader of its messages is gone (`2>&1 | head`)", async () => {
    const missing = await tagsmithReaderGone(
      ["suggest", "--model", join(work, "no-model-here"), "--title", "GAN"],
      "stderr",
    );
    expect(missing.status).toBe(2);
  });
});

describe("tagsmith suggest with nothing to read", () => {
  // "Empty title and description: an empty list, not an error."
  it("prints an empty list for an empty title and description, exit 0", () => {
    const json = tagsmith(["suggest", "--model", model, "--title", "", "--json"]);
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ suggestions: [] });
    const text = tagsmith(["suggest", "--model", model, "--title", "  ", "--description", ""]);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toBe("(no suggestions)\n");
  });

  it("says on stderr when the text was cut, the JSON on stdout unchanged", () => {
    const long = "A detector for images in PyTorch. ".repeat(400);
    const cut = tagsmith([
      "suggest",
      "--model",
      model,
      "--title",
      "Detection",
      "--description",
      long,
      "--json",
    ]);
    expect(cut.status, cut.stderr).toBe(0);
    expect(JSON.parse(cut.stdout)).toMatchObject({
      suggestions: expect.any(Array),
      truncated: true,
    });
    expect(cut.stderr).toBe(
      "tagsmith: note: the text was cut to its first 1,000 characters of title and 10,000 of description; the suggestions are for that part\n",
    );
    const whole = tagsmith([
      "suggest",
      "--model",
      model,
      "--title",
      "Detection",
      "--description",
      long.slice(0, 10_000),
    ]);
    expect(whole.stderr).toBe("");
  });
});

describe("unusable models", () => {
  it("names what is wrong with a missing, partial, damaged or incompatible model directory", async () => {
    const missing = tagsmith(["suggest", "--model", join(work, "nope"), "--title", "x"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(
      `tagsmith: --model ${join(work, "nope")} does not exist: --model must be a model directory (the directory tagsmith train --out DIR writes, holding model.bin, manifest.json and metrics.json)\n`,
    );

    const partial = await rulesModelCopy(join(work, "partial"));
    await rm(join(partial, "model.bin"));
    expect(tagsmith(["suggest", "--model", partial, "--title", "x"]).stderr).toMatch(
      /model\.bin missing/,
    );

    const damaged = await rulesModelCopy(join(work, "damaged"));
    const bytes = await readFile(join(damaged, "model.bin"));
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(join(damaged, "model.bin"), bytes);
    const result = tagsmith(["suggest", "--model", damaged, "--title", "x"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/does not match the checksum/);

    const manifestFile = join(damaged, "manifest.json");
    const manifest = JSON.parse(await readFile(manifestFile, "utf8"));
    await writeFile(manifestFile, JSON.stringify({ ...manifest, formatVersion: 99 }));
    const old = tagsmith(["suggest", "--model", damaged, "--title", "x"]);
    expect(old.stderr).toMatch(/format version 99/);
    for (const r of [missing, result, old]) expect(r.stderr).not.toContain("    at ");
  });

  it("names a model.bin of another shape whose checksum matches, rather than crashing in a tagger", async () => {
    const source = await trainInProcess(join(work, "reshaped-source"), "knn");
    const bytes = await readFile(join(source, "model.bin"));
    const manifest = JSON.parse(await readFile(join(source, "manifest.json"), "utf8"));
    // model.bin: "TGSM", u32 format version, u32 header length, the JSON header, padding to 8 bytes, the arrays.
    const headerLength = bytes.readUInt32LE(8);
    const header = JSON.parse(bytes.subarray(12, 12 + headerLength).toString("utf8"));
    const data = bytes.subarray(Math.ceil((12 + headerLength) / 8) * 8);
    const reshaped = async (name: string, edit: (h: typeof header) => void) => {
      const h = structuredClone(header);
      edit(h);
      const json = Buffer.from(JSON.stringify(h));
      const head = Buffer.alloc(12);
      bytes.copy(head, 0, 0, 8);
      head.writeUInt32LE(json.length, 8);
      const padding = Buffer.alloc(Math.ceil((12 + json.length) / 8) * 8 - 12 - json.length);
      const file = Buffer.concat([head, json, padding, data]);
      const dir = join(work, `reshaped-${name}`);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir);
      await writeFile(join(dir, "model.bin"), file);
      const sha = createHash("sha256").update(file).digest("hex");
      await writeFile(
        join(dir, "manifest.json"),
        JSON.stringify({ ...manifest, modelSha256: sha, modelBytes: file.length }),
      );
      return tagsmith(["suggest", "--model", dir, "--title", "PyTorch"]);
    };
    for (const [name, edit, message] of [
      ["no-state", (h) => delete h.value.state, /does not hold a knn model this tagsmith can read/],
      [
        "empty-state",
        (h) => (h.value.state = {}),
        /does not hold a knn model this tagsmith can read/,
      ],
      [
        "no-taxonomy",
        (h) => delete h.value.taxonomy,
        /does not hold a knn model this tagsmith can read/,
      ],
      ["no-value", (h) => (h.value = null), /not a usable tagsmith model file \(header without/],
      ["no-arrays", (h) => (h.arrays = null), /not a usable tagsmith model file \(header without/],
      ["bad-array", (h) => (h.arrays[0].length = -1), /no valid offset or length/],
    ] as [string, (h: typeof header) => void, RegExp][]) {
      const result = await reshaped(name, edit);
      expect(result.status, `${name}: ${result.stderr}`).toBe(2);
      expect(result.stderr, name).toMatch(message);
      expect(result.stderr, name).not.toContain("    at ");
    }
  });

  it("names a manifest that lacks a field, or whose kind or label mode model.bin contradicts", async () => {
    const dir = await rulesModelCopy(join(work, "edited-manifest"));
    const manifestFile = join(dir, "manifest.json");
    const manifest = JSON.parse(await readFile(manifestFile, "utf8"));
    const suggestWith = async (edited: object) => {
      await writeFile(manifestFile, JSON.stringify(edited));
      return tagsmith(["suggest", "--model", dir, "--title", "PyTorch"]);
    };
    const { data: _, ...noData } = manifest;
    const lacking = await suggestWith(noData);
    expect(lacking.status).toBe(2);
    expect(lacking.stderr).toBe(
      `tagsmith: ${manifestFile}: manifest.json is not a model manifest (data: expected object, received undefined): retrain the model, or restore the file\n`,
    );
    const mystery = await suggestWith({ ...manifest, kind: "mystery" });
    expect(mystery.status).toBe(2);
    expect(mystery.stderr).toBe(
      `tagsmith: ${manifestFile}: manifest.json says kind "mystery" but model.bin holds a rules model: the manifest was edited or belongs to another model; retrain the model, or restore the file\n`,
    );
    expect((await suggestWith({ ...manifest, labelMode: "single" })).stderr).toMatch(
      /says labelMode "single" but model\.bin holds a multi-label model/,
    );
    expect((await suggestWith(null as unknown as object)).stderr).toMatch(
      /manifest\.json is not a model manifest \(not a JSON object\)/,
    );
    // Fields a newer tagsmith or the registry adds are kept, not refused.
    expect((await suggestWith({ ...manifest, addedLater: true })).status).toBe(0);
    // A directory where model.bin should be.
    await rm(join(dir, "model.bin"));
    await mkdir(join(dir, "model.bin"));
    const folder = tagsmith(["suggest", "--model", dir, "--title", "PyTorch"]);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toMatch(
      /model\.bin is a directory, not the file a model directory holds/,
    );
  });
});

describe("tagsmith benchmark", () => {
  it("runs every tagger on one split", () => {
    const result = tagsmith([
      "benchmark",
      "--data",
      SAMPLE_CONTENT,
      "--taxonomy",
      SAMPLE_TAXONOMY,
      "--json",
    ]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.rows.map((r: { tagger: string }) => r.tagger)).toEqual([
      "random",
      "frequent",
      "rules",
      "keywords",
      "knn",
      "linear",
      "ensemble",
    ]);
    expect(report.split.train + report.split.tune + report.split.test).toBe(78);
  });

  it("splits undated single-label data at random and scores it at 1, as eval does, saying --limit is not used", async () => {
    const raw = JSON.parse(await readFile(SAMPLE_CONTENT, "utf8")) as {
      id: string;
      title: string;
      description?: string;
      tags: string[];
    }[];
    const csv = join(work, "single-undated.csv");
    const cell = (text: unknown) => `"${String(text).replaceAll('"', '""')}"`;
    await writeFile(
      csv,
      [
        "id,title,description,tag",
        ...raw.map((r) =>
          [r.id, r.title, r.description ?? "", r.tags[0] ?? ""].map(cell).join(","),
        ),
      ].join("\n"),
    );
    const args = ["benchmark", "--data", csv, "--taggers", "frequent,rules", "--limit", "3"];
    const result = tagsmith([...args, "--json"]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/--limit 3 is not used: single-label data is scored at 1/);
    const report = JSON.parse(result.stdout);
    expect(report.split.method).toBe("random");
    expect(report.limit).toBe(1);
    for (const row of report.rows) {
      expect(row.suggested.mean_suggested).toBeLessThanOrEqual(1);
      expect(row.single_label.accuracy).toBeGreaterThanOrEqual(0);
    }
    const table = tagsmith(args);
    expect(table.stdout).toMatch(/^random split: \d+ train, \d+ tune, \d+ test items; limit 1\n/);
    expect(table.stdout).toMatch(/acc +wF1/);
  });

  it("refuses too little labeled data as train does, exit 2, rather than score on one item", async () => {
    const small = join(work, "six.json");
    const raw = JSON.parse(await readFile(SAMPLE_CONTENT, "utf8")) as unknown[];
    await writeFile(small, JSON.stringify(raw.slice(0, 6)));
    const result = tagsmith(["benchmark", "--data", small, "--taggers", "frequent"]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      /^tagsmith: too little labeled data: \d of 6 items have an approved tag, \d in the oldest 70% \(train\), \d in the next 15% \(tune\), \d in the newest 15% \(test\); each part needs at least 2: .*\n$/,
    );
  });

  it("refuses an empty --taggers and a tagger listed twice, exit 2, running nothing", () => {
    const empty = tagsmith(["benchmark", "--data", SAMPLE_CONTENT, "--taggers", ""]);
    expect(empty.status).toBe(2);
    expect(empty.stdout).toBe("");
    expect(empty.stderr).toBe(
      "tagsmith: --taggers names no tagger: give one or more of random, frequent, rules, keywords, knn, linear, ensemble, separated by commas (or leave out --taggers for all)\n",
    );
    const twice = tagsmith([
      "benchmark",
      "--data",
      SAMPLE_CONTENT,
      "--taggers",
      "rules, frequent,rules",
    ]);
    expect(twice.status).toBe(2);
    expect(twice.stdout).toBe("");
    expect(twice.stderr).toBe('tagsmith: --taggers lists "rules" twice: name each tagger once\n');
  });

  it("names --taggers and the taggers there are for an unknown name", () => {
    const result = tagsmith(["benchmark", "--data", SAMPLE_CONTENT, "--taggers", "rules,magic"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^tagsmith: --taggers: unknown tagger "magic": choose one of random, /,
    );
  });
});
