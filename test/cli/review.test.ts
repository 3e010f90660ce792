// The feedback loop from the command line, on a store filled here as the editor and reviewers would fill it:
// QA'd labels exported, loaded and trained on with the sample; proposals written as an overlay that loads; the
// promotion gate scoring on the gold data plus the QA'd labels.

import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageVersion } from "../../src/cli/code-version.js";
import { loadContent } from "../../src/data/index.js";
import { openStore } from "../../src/store/index.js";
import { loadTaxonomy } from "../../src/taxonomy/index.js";
import { parseTrainConfig, trainFromFiles } from "../../src/train/index.js";
import { type CliResult, tagsmith } from "../support/cli.js";
import { SAMPLE_CONTENT, SAMPLE_TAXONOMY } from "../support/sample.js";
import { embeddedStore } from "../support/store-image.js";

let work: string;
let storeDir: string;
/** A store tagsmith made and closed, holding nothing. */
let emptyStoreDir: string;
let qa: string;
/** Decisions made in the store: [content id, tag, applies]. */
const decisions: [number, string, boolean][] = [];
const contentIds: number[] = [];

const ok = (result: CliResult) => {
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return result;
};

const ITEMS = [
  {
    title: "Fine-tuning BERT for sentiment analysis of product reviews",
    description: "A transformer fine-tuned with Hugging Face on Amazon reviews, in PyTorch.",
    tags: ["transformers", "sentiment-analysis"],
    shown: ["natural-language-processing", "transformers", "text-classification"],
    unapproved: ["LLM agents"],
  },
  {
    title: "Detecting pedestrians with YOLO in dashcam video",
    description: "Real-time object detection on video with a convolutional network.",
    tags: ["object-detection"],
    shown: ["computer-vision", "object-detection", "pytorch"],
    unapproved: ["llm_agents", "Dashcams"],
  },
  {
    title: "Graph neural networks for molecule property prediction",
    description: "Message passing networks on molecular graphs with PyTorch Geometric.",
    tags: ["graph-neural-networks", "pytorch"],
    shown: ["graphs", "graph-neural-networks"],
    unapproved: ["dashcams"],
  },
];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "tagsmith-review-cli-"));
  storeDir = join(work, "store");
  emptyStoreDir = join(work, "empty-store");
  qa = join(work, "qa.json");
  // The empty store is a copy of this one taken before anything was written to it.
  await (await openStore(embeddedStore({ dir: storeDir }))).close();
  await cp(storeDir, emptyStoreDir, { recursive: true });
  const store = await openStore({ dir: storeDir });
  try {
    for (const [i, item] of ITEMS.entries()) {
      const session = `s-${i}`;
      await store.recordFeedback([
        {
          type: "shown",
          key: `shown-${i}`,
          session,
          contentId: null,
          requestId: null,
          modelId: "ensemble",
          modelVersion: "v1",
          suggestions: item.shown.map((tag) => ({ tag, score: 0.8, source: "implicit" as const })),
          latencyMs: null,
          chosen: null,
        },
      ]);
      const content = await store.create({
        title: item.title,
        description: item.description,
        tags: item.tags,
        unapprovedTags: item.unapproved,
        author: `author-${i % 2}`,
        session,
      });
      contentIds.push(content.id);
    }
    // Reviewers: the model was right about NLP and computer vision, the authors right to drop the rest.
    const { items } = await store.reviewQueue({ limit: 100 });
    for (const item of items) {
      const applies = ["natural-language-processing", "computer-vision"].includes(item.tag);
      await store.decide(item.id, { applies, reviewer: "rita", note: null });
      decisions.push([item.contentId, item.tag, applies]);
    }
    await store.proposeTaxonomyChange("llm-agents", {
      action: "approve",
      aliasOf: null,
      category: "methods",
      parents: ["natural-language-processing"],
      proposer: "cara",
    });
    await store.proposeTaxonomyChange("Dashcams", {
      action: "alias",
      aliasOf: "computer-vision",
      category: null,
      parents: [],
      proposer: "cara",
    });
  } finally {
    await store.close();
  }
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("tagsmith data export-labels", () => {
  const exportLabels = (out: string, ...options: string[]) =>
    tagsmith(["data", "export-labels", "--out", out, "--store", storeDir, ...options]);

  it("writes QA'd labels as content the loader reads, and their provenance beside them", async () => {
    expect(decisions.length).toBeGreaterThan(0);
    const result = ok(tagsmith(["data", "export-labels", "--out", qa, "--store", storeDir]));
    expect(result.stdout).toContain(`-> ${qa}`);
    const { items } = await loadContent(qa);
    // Expected labels computed here from the decisions: final tags plus decided-applies, minus decided-not.
    const expected = ITEMS.map((item, i) => {
      const mine = decisions.filter(([id]) => id === contentIds[i]);
      const add = mine.filter(([, , applies]) => applies).map(([, tag]) => tag);
      const drop = new Set(mine.filter(([, , applies]) => !applies).map(([, tag]) => tag));
      return [...new Set([...item.tags, ...add])].filter((t) => !drop.has(t));
    });
    expect(items.map((i) => i.tags)).toEqual(expected);
    expect(items[0]?.tags).toContain("natural-language-processing");
    expect(items[1]?.tags).toContain("computer-vision");
    expect(items.map((i) => i.id)).toEqual(contentIds.map((id) => `qa-${id}`));
    expect(items[0]?.title).toBe(ITEMS[0]?.title);
    expect(items.every((i) => i.createdOn !== null)).toBe(true);

    const provenance = JSON.parse(await readFile(join(work, "qa.provenance.json"), "utf8"));
    expect(provenance).toMatchObject({ dataset: "qa.json", items: 3 });
    expect(provenance.labels).toHaveLength(decisions.length);
    expect(provenance.labels[0]).toEqual({
      id: `qa-${contentIds[0]}`,
      content_id: contentIds[0],
      tag: expect.any(String),
      applies: expect.any(Boolean),
      reviewer: "rita",
      decided_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      rule: expect.stringMatching(/^(possible_miss|unaccepted_suggestion)$/),
      item_id: expect.any(Number),
      note: null,
    });
  });

  it("keeps a file already at --out or beside it, exit 2, unless --force replaces it", async () => {
    const provenance = join(work, "qa.provenance.json");
    const [content, sidecar] = [await readFile(qa, "utf8"), await readFile(provenance, "utf8")];
    const again = tagsmith(["data", "export-labels", "--out", qa, "--store", storeDir]);
    expect(again.status).toBe(2);
    expect(again.stderr).toBe(
      `tagsmith: ${qa} and ${provenance} already exist: they were kept; --force replaces them, or choose another --out\n`,
    );
    expect([await readFile(qa, "utf8"), await readFile(provenance, "utf8")]).toEqual([
      content,
      sidecar,
    ]);

    // A hand-curated gold set and a provenance file of the user's: kept, and the export writes neither file.
    const gold = join(work, "gold.json");
    await writeFile(gold, "[]\n");
    const lone = join(work, "lone.json");
    const loneProvenance = join(work, "lone.provenance.json");
    await writeFile(loneProvenance, "mine");
    for (const [out, kept] of [
      [gold, gold],
      [lone, loneProvenance],
    ] as const) {
      const refused = tagsmith(["data", "export-labels", "--out", out, "--store", storeDir]);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toBe(
        `tagsmith: ${kept} already exists: it was kept; --force replaces it, or choose another --out\n`,
      );
    }
    expect(await readFile(gold, "utf8")).toBe("[]\n");
    expect(existsSync(lone)).toBe(false);
    expect(existsSync(join(work, "gold.provenance.json"))).toBe(false);

    ok(tagsmith(["data", "export-labels", "--out", gold, "--store", storeDir, "--force"]));
    expect((await loadContent(gold)).items).toHaveLength(ITEMS.length);
    ok(tagsmith(["data", "export-labels", "--out", qa, "--store", storeDir, "--force"]));
    expect(await readFile(qa, "utf8")).toBe(content);
    expect(await readFile(provenance, "utf8")).not.toBe(sidecar); // exported_at is now
  });

  it("refuses an --out that is not .json or .jsonl first, whatever files are beside it, exit 2", async () => {
    const out = join(work, "labels.txt");
    await writeFile(join(work, "labels.provenance.json"), "mine");
    const result = tagsmith(["data", "export-labels", "--out", out, "--store", storeDir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `tagsmith: ${out}: cannot write ".txt" files: use .json or .jsonl\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("writes both files or neither: labels whose provenance cannot be written are not written either", async () => {
    // A name the file system takes for the export but not with ".provenance.json" in place of ".json" (255 bytes a
    // name, temporary names included): the provenance cannot be written.
    const out = join(work, `${"q".repeat(228)}.json`);
    const result = tagsmith(["data", "export-labels", "--out", out, "--store", storeDir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^tagsmith: cannot write .*\.provenance\.json \(ENAMETOOLONG: a name in the path is too long\)/,
    );
    expect(existsSync(out)).toBe(false);

    // Exporting again over an earlier file with --force: that file is kept, not lost to half an export.
    await writeFile(out, "an earlier export\n");
    const forced = exportLabels(out, "--force");
    expect(forced.status).toBe(2);
    expect(await readFile(out, "utf8")).toBe("an earlier export\n");
  });

  it("never writes over a file of the content store it reads, not even with --force", async () => {
    const storeFile = join(storeDir, "pgdata", "PG_VERSION");
    const link = join(work, "link-into-store.json");
    await symlink(storeFile, link);
    const before = await readFile(storeFile, "utf8");
    const named = exportLabels(link, "--force");
    expect(named.status).toBe(2);
    expect(named.stderr).toBe(
      `tagsmith: ${link} is a file of the content store in ${storeDir} (--store), which this command reads: it is never replaced, not even with --force; choose another --out\n`,
    );
    // The store's own file is no content file to begin with: that is said first.
    const direct = exportLabels(storeFile, "--force");
    expect(direct.status).toBe(2);
    expect(direct.stderr).toBe(
      `tagsmith: ${storeFile}: no format named: end the name in .json or .jsonl\n`,
    );
    expect(await readFile(storeFile, "utf8")).toBe(before);
    // The store still opens, and still holds the decisions.
    ok(tagsmith(["data", "export-labels", "--out", join(work, "after.json"), "--store", storeDir]));
  });

  it("says so, exit 2, when no reviewer has decided anything", async () => {
    const result = tagsmith([
      "data",
      "export-labels",
      "--out",
      join(work, "none.json"),
      "--store",
      emptyStoreDir,
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^tagsmith: no reviewer has decided a review item yet/);
  });

  it("trains on the gold data and the QA'd labels together", async () => {
    const out = join(work, "model-qa");
    const result = ok(
      tagsmith([
        "train",
        "--data",
        SAMPLE_CONTENT,
        qa,
        "--taxonomy",
        SAMPLE_TAXONOMY,
        "--tagger",
        "frequent",
        "--out",
        out,
      ]),
    );
    expect(result.stdout).toMatch(/held out \(\d+ items/);
    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    expect(manifest.data.items).toBe(80 + ITEMS.length);
    expect(manifest.data.sources.map((s: { path: string }) => s.path)).toEqual([
      SAMPLE_CONTENT,
      qa,
    ]);
    expect(manifest.data.files).toEqual(["content.json", "qa.json"]);
  });
});

describe("a mistyped --store", () => {
  it("is a clear error for export-labels and taxonomy changes, exit 2, creating no store and no file", () => {
    const missing = join(work, "stroe");
    for (const command of [
      ["data", "export-labels"],
      ["taxonomy", "changes"],
    ]) {
      const out = join(work, `${command[1]}-from-nowhere.json`);
      const result = tagsmith([...command, "--out", out, "--store", missing], {
        env: { DATABASE_URL: "" },
      });
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        `tagsmith: no content store in ${missing}: give the directory \`tagsmith serve --store\` keeps it in, or set DATABASE_URL\n`,
      );
      expect(existsSync(missing)).toBe(false);
      expect(existsSync(out)).toBe(false);
    }
  });

  it("is a clear error when it names a directory that holds no store, which is left as it was", async () => {
    const folder = join(work, "not-a-store");
    await mkdir(folder);
    await writeFile(join(folder, "readme.txt"), "hi");
    for (const command of [
      ["data", "export-labels"],
      ["taxonomy", "changes"],
    ]) {
      const out = join(work, `${command[1]}-from-a-folder.json`);
      const result = tagsmith([...command, "--out", out, "--store", folder], {
        env: { DATABASE_URL: "" },
      });
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(
        `tagsmith: no content store in ${folder} (the directory has no pgdata/ of a store): give the directory \`tagsmith serve --store\` keeps it in, or set DATABASE_URL\n`,
      );
      expect(await readdir(folder)).toEqual(["readme.txt"]);
      expect(existsSync(out)).toBe(false);
    }
  });

  it("is a clear error when its database has no tagsmith tables, which are not created", async () => {
    const folder = join(work, "bare-pgdata");
    await mkdir(folder);
    const bare = await PGlite.create(join(folder, "pgdata"));
    await bare.close();
    const result = tagsmith(
      ["taxonomy", "changes", "--out", join(work, "bare.json"), "--store", folder],
      {
        env: { DATABASE_URL: "" },
      },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `tagsmith: no content store in ${folder}: the database has no tagsmith tables (tagsmith serve creates them when it first starts on it): give the directory \`tagsmith serve --store\` keeps it in, or set DATABASE_URL\n`,
    );
    const again = await PGlite.create(join(folder, "pgdata"));
    try {
      expect((await again.query("SELECT to_regclass('content') AS t")).rows).toEqual([{ t: null }]);
    } finally {
      await again.close();
    }
  });

  it("is a clear error when its pgdata/ is damaged, or when it is a file", async () => {
    const damaged = join(work, "damaged-pgdata");
    await mkdir(join(damaged, "pgdata"), { recursive: true });
    await writeFile(join(damaged, "pgdata", "PG_VERSION"), "");
    const file = join(work, "store-file");
    await writeFile(file, "not a store");
    for (const [store, said] of [
      [
        damaged,
        `tagsmith: the content store in ${damaged} cannot be opened: its pgdata/ is damaged or is not an embedded tagsmith database (`,
      ],
      [
        file,
        `tagsmith: no content store in ${file} (it is a file, not a directory): give the directory \`tagsmith serve --store\` keeps it in, or set DATABASE_URL\n`,
      ],
    ] as const) {
      const result = tagsmith(
        ["taxonomy", "changes", "--out", join(work, "x.json"), "--store", store],
        {
          env: { DATABASE_URL: "" },
        },
      );
      expect(result.status, store).toBe(2);
      expect(result.stderr.startsWith(said), result.stderr).toBe(true);
      expect(result.stderr.trimEnd().split("\n"), store).toHaveLength(1);
    }
    expect(await readdir(damaged)).toEqual(["pgdata"]);
  });

  it("is a clear error when its pgdata/ is empty, which stays empty", async () => {
    const folder = join(work, "empty-pgdata");
    await mkdir(join(folder, "pgdata"), { recursive: true });
    const out = join(work, "changes-from-empty-pgdata.json");
    const result = tagsmith(["taxonomy", "changes", "--out", out, "--store", folder], {
      env: { DATABASE_URL: "" },
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `tagsmith: no content store in ${folder} (its pgdata/ holds no database): give the directory \`tagsmith serve --store\` keeps it in, or set DATABASE_URL\n`,
    );
    expect(await readdir(folder)).toEqual(["pgdata"]);
    expect(await readdir(join(folder, "pgdata"))).toEqual([]);
    expect(existsSync(out)).toBe(false);
  });
});

describe("tagsmith taxonomy changes", () => {
  it("writes the proposals as an overlay that loads onto the taxonomy", async () => {
    const overlay = join(work, "overlay.json");
    const result = ok(
      tagsmith([
        "taxonomy",
        "changes",
        "--out",
        overlay,
        "--store",
        storeDir,
        "--taxonomy",
        SAMPLE_TAXONOMY,
      ]),
    );
    expect(result.stdout).toContain("1 new tag(s), 1 alias(es)");
    expect(JSON.parse(await readFile(overlay, "utf8"))).toEqual([
      {
        tag: "llm-agents",
        new: true,
        aliases: [],
        parents: ["natural-language-processing"],
        category: "methods",
      },
      { tag: "computer-vision", aliases: ["dashcams"] },
    ]);
    const taxonomy = await loadTaxonomy(SAMPLE_TAXONOMY, [overlay]);
    expect(taxonomy.resolve("LLM agents")).toBe("llm-agents");
    expect(taxonomy.ancestors("llm-agents")).toEqual(["natural-language-processing"]);
    expect(taxonomy.resolve("Dashcams")).toBe("computer-vision");
  });

  it("checks the overlay against --taxonomy before writing it: an error names the taxonomy, and --out is not written", async () => {
    // The store's proposals add an alias to computer-vision, which this taxonomy lacks.
    const taxonomy = join(work, "taxonomy-without-cv.json");
    await writeFile(
      taxonomy,
      JSON.stringify([{ tag: "natural-language-processing", aliases: [], parents: [] }]),
    );
    const out = join(work, "overlay-that-does-not-apply.json");
    const result = tagsmith([
      "taxonomy",
      "changes",
      "--out",
      out,
      "--store",
      storeDir,
      "--taxonomy",
      taxonomy,
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `tagsmith: ${taxonomy}: the store's pending proposals do not apply to this taxonomy (overlay names "computer-vision", which is not in the taxonomy: add the tag to the taxonomy first); give the taxonomy (and --overlay files) the service runs with. Nothing was written to ${out}\n`,
    );
    expect(existsSync(out)).toBe(false);
    // An overlay the service's taxonomy already has (here one adding computer-vision) is applied first.
    const earlier = join(work, "overlay-adding-cv.json");
    await writeFile(earlier, JSON.stringify([{ tag: "computer-vision", new: true }]));
    const args = ["taxonomy", "changes", "--out", out, "--store", storeDir];
    const withEarlier = ok(tagsmith([...args, "--taxonomy", taxonomy, "--overlay", earlier]));
    expect(withEarlier.stdout).toContain(`(applies to ${taxonomy}: 3 tags)`);
    const alone = tagsmith([...args, "--force", "--overlay", earlier]);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain("--overlay needs --taxonomy");
    await rm(out);
    // a taxonomy that cannot be read is reported before the store is opened, and nothing is written either
    const missing = tagsmith([
      "taxonomy",
      "changes",
      "--out",
      out,
      "--store",
      storeDir,
      "--taxonomy",
      join(work, "no-taxonomy.json"),
    ]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(join(work, "no-taxonomy.json"));
    expect(existsSync(out)).toBe(false);
  });

  it("refuses an --out that is the --taxonomy file, keeping the taxonomy", async () => {
    const taxonomy = join(work, "taxonomy-copy.json");
    const text = await readFile(SAMPLE_TAXONOMY, "utf8");
    await writeFile(taxonomy, text);
    const result = tagsmith([
      "taxonomy",
      "changes",
      "--out",
      taxonomy,
      "--store",
      storeDir,
      "--taxonomy",
      taxonomy,
    ]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `tagsmith: --out ${taxonomy} is the --taxonomy file: the overlay would replace that file; write it to a file of its own, e.g. overlay.json\n`,
    );
    expect(await readFile(taxonomy, "utf8")).toBe(text);
  });

  it("keeps an overlay already there unless --force, which replaces it", async () => {
    const out = join(work, "overlay-edited.json");
    await writeFile(out, "[]\n");
    const args = ["taxonomy", "changes", "--out", out, "--store", storeDir];
    const kept = tagsmith(args);
    expect(kept.status).toBe(2);
    expect(kept.stderr).toBe(
      `tagsmith: ${out} already exists: it was kept; --force replaces it, or choose another --out\n`,
    );
    expect(await readFile(out, "utf8")).toBe("[]\n");
    ok(tagsmith([...args, "--force"]));
    expect(JSON.parse(await readFile(out, "utf8"))).toHaveLength(2);
  });

  it("refuses an --out that cannot be written in one line, exit 2", async () => {
    const file = join(work, "overlay-under-a-file");
    await writeFile(file, "");
    const out = join(file, "overlay.json");
    const result = tagsmith(["taxonomy", "changes", "--out", out, "--store", storeDir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `tagsmith: cannot write ${out} (ENOTDIR: a part of the path is a file, not a directory): choose another path\n`,
    );
  });
});

describe("the promotion gate on several gold files", () => {
  it("config and promote take --gold more than once, and the gate names every file", async () => {
    const registry = join(work, "registry");
    const dirs = [join(work, "random-0"), join(work, "random-1")];
    // Two models to promote, trained in this process as train does: the gate is what is tested here.
    for (const [seed, out] of dirs.entries())
      await trainFromFiles({
        dataFiles: [SAMPLE_CONTENT],
        taxonomyFile: SAMPLE_TAXONOMY,
        out,
        seed,
        config: parseTrainConfig({ tagger: "random" }),
        version: packageVersion(),
      });
    const models = (...args: string[]) => tagsmith(["models", ...args, "--registry", registry]);
    const ids = dirs.map(
      (dir) => JSON.parse(ok(models("register", dir, "--json")).stdout).registry.id as string,
    );
    ok(models("promote", ids[0] as string));

    // One file stays a string in registry.json, as older registries have it.
    ok(models("config", "--gold", SAMPLE_CONTENT));
    const single = JSON.parse(await readFile(join(registry, "registry.json"), "utf8"));
    expect(single.gold).toBe(SAMPLE_CONTENT);

    const config = JSON.parse(
      ok(models("config", "--gold", SAMPLE_CONTENT, "--gold", qa, "--json")).stdout,
    );
    expect(config.gold).toEqual([SAMPLE_CONTENT, qa]);
    expect(ok(models("config")).stdout).toContain(`gold: ${SAMPLE_CONTENT} + ${qa}`);

    const promoted = models("promote", ids[1] as string, "--force");
    expect(promoted.status).toBe(0);
    expect(promoted.stdout).toContain(
      `gate on ${SAMPLE_CONTENT} + ${qa} (${80 + ITEMS.length} items`,
    );
    const shown = JSON.parse(ok(models("show", ids[1] as string, "--json")).stdout);
    expect(shown.history.at(-1).gate.gold).toMatchObject({
      file: `${SAMPLE_CONTENT} + ${qa}`,
      files: [SAMPLE_CONTENT, qa],
      items: 80 + ITEMS.length,
    });

    // --gold on the command line wins over the registry's, and may be given once.
    ok(models("rollback"));
    const once = models("promote", ids[1] as string, "--gold", SAMPLE_CONTENT, "--force");
    expect(once.status).toBe(0);
    expect(once.stdout).toContain(`gate on ${SAMPLE_CONTENT} (80 items`);
  });

  it("reads a registry.json whose gold is a single path, as older tagsmith wrote it", async () => {
    const registry = join(work, "registry");
    const file = join(registry, "registry.json");
    const state = JSON.parse(await readFile(file, "utf8"));
    await writeFile(file, JSON.stringify({ ...state, gold: qa }));
    const config = JSON.parse(
      ok(tagsmith(["models", "config", "--json", "--registry", registry])).stdout,
    );
    expect(config.gold).toBe(qa);
  });
});
