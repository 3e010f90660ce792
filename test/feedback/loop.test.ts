// The feedback loop end to end, as a scripted session: authors write content in the editor (chromium) and take,
// leave and report suggestions; a reviewer works the queue; the QA'd labels are exported, a new model is trained
// on the gold data plus them, and the promotion gate compares it with production on both. Each step is asserted.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelRegistry } from "../../src/registry/index.js";
import type { RunningServer } from "../../src/serve/index.js";
import { chromiumPath, launchBrowser, requireBuiltUi } from "../support/browser.js";
import { tagsmith } from "../support/cli.js";
import { SAMPLE_CONTENT, SAMPLE_TAXONOMY } from "../support/sample.js";
import { removeDir, send, serveForTest, tempDir } from "../support/serve.js";

const executablePath = chromiumPath();
const TOKEN = "loop-admin-token";
const admin = { authorization: `Bearer ${TOKEN}` };

let work: string;
let registryDir: string;
let storeDir: string;
let production: string;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  if (!executablePath) return;
  requireBuiltUi("widget.js");
  work = await tempDir("tagsmith-loop-");
  registryDir = join(work, "models");
  storeDir = join(work, "store");
  const trained = tagsmith([
    "train",
    "--data",
    SAMPLE_CONTENT,
    "--taxonomy",
    SAMPLE_TAXONOMY,
    "--register",
    "--registry",
    registryDir,
  ]);
  expect(trained.status, trained.stderr).toBe(0);
  const [first] = (await new ModelRegistry(registryDir).list()).versions;
  production = String(first?.id);
  expect(tagsmith(["models", "promote", production, "--registry", registryDir]).status).toBe(0);
  server = await serveForTest(
    { kind: "registry", dir: registryDir },
    { store: { dir: storeDir }, adminToken: TOKEN },
  );
  browser = await launchBrowser(executablePath);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await removeDir(work);
});

const suggestion = (page: Page, tag: string) =>
  page.locator(`tagsmith-suggestions [data-tag="${tag}"]`);

async function addOwnTag(page: Page, tag: string): Promise<void> {
  await page.locator("#tag-entry").fill(tag);
  await page.locator("#tag-entry").press("Enter");
  await page.locator(`#chosen-tags [data-chosen-tag="${tag}"]`).waitFor();
}

async function save(page: Page): Promise<void> {
  await page.locator("#save").click();
  await page.locator("#save-status", { hasText: /Saved/ }).waitFor();
}

describe.skipIf(!executablePath)("the feedback loop, scripted", () => {
  it("goes from the editor to review, exported labels, a new model and the gate", async () => {
    // 1. Two authors' sessions in the editor.
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    await page.locator("#title").pressSequentially("Object detection with PyTorch", { delay: 10 });
    await suggestion(page, "pytorch").click(); // accepted
    await suggestion(page, "object-detection").click(); // accepted
    await suggestion(page, "computer-vision").waitFor();
    await page.locator('tagsmith-suggestions [data-report="computer-vision"]').click();
    await page.locator('tagsmith-suggestions [data-reason="wrong"]').click(); // reported
    await suggestion(page, "computer-vision").waitFor({ state: "detached" });
    await addOwnTag(page, "tensorflow"); // added by hand, never suggested: a possible miss
    await save(page);

    await page.locator("#new-content").click();
    await page
      .locator("#title")
      .pressSequentially("Sentiment analysis of movie reviews with BERT", {
        delay: 10,
      });
    await page.locator("tagsmith-suggestions [data-tag]").first().waitFor();
    const offered = await page
      .locator("tagsmith-suggestions [data-tag]")
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute("data-tag") ?? ""));
    await suggestion(page, offered[0] ?? "").click(); // the best one taken, the others left
    await save(page);
    await page.close();

    const { items: saved } = await (server.store?.list() ?? Promise.reject(new Error("no store")));
    expect(saved).toHaveLength(2);
    const first = saved.find((c) => c.title.startsWith("Object detection"));
    expect(first?.tags).toEqual(["pytorch", "object-detection", "tensorflow"]);

    // 2. Online metrics from those events.
    const metrics = await send(server.url, { path: "/v1/metrics/online", headers: admin });
    expect(metrics.status).toBe(200);
    expect(metrics.json.overall.saved_items).toBe(2);
    expect(metrics.json.overall.accepted).toBe(3);
    expect(metrics.json.overall.reported).toBe(1);

    // 3. The review queue: the possible miss and the report, at least; a reviewer decides each item.
    const queue = await send(server.url, {
      path: "/v1/admin/review?status=pending&limit=100",
      headers: admin,
    });
    expect(queue.status).toBe(200);
    const items = queue.json.items as {
      id: number;
      tag: string;
      rule: string;
      content_id: number;
    }[];
    const onFirst = items.filter((i) => i.content_id === first?.id);
    expect(onFirst).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tag: "tensorflow", rule: "possible_miss" }),
        expect.objectContaining({ tag: "computer-vision", rule: "report" }),
      ]),
    );
    // The reviewer: tensorflow does not belong (the author was wrong), computer-vision does (the report was wrong),
    // and every other item belongs.
    for (const item of items) {
      const applies = item.tag !== "tensorflow";
      const decided = await send(server.url, {
        method: "POST",
        path: `/v1/admin/review/${item.id}/decision`,
        headers: { ...admin, "content-type": "application/json" },
        body: JSON.stringify({ applies, reviewer: "rev-1" }),
      });
      expect(decided.status, JSON.stringify(decided.json)).toBe(200);
    }
    expect(items.length).toBeGreaterThanOrEqual(2);
    await server.close();

    // 4. The QA'd labels as a dataset.
    const qa = join(work, "qa.json");
    const exported = tagsmith(["data", "export-labels", "--out", qa, "--store", storeDir]);
    expect(exported.status, exported.stderr).toBe(0);
    const labeled = JSON.parse(readFileSync(qa, "utf8")) as { id: string; tags: string[] }[];
    const firstLabels = labeled.find((c) => c.id === `qa-${first?.id}`);
    expect(firstLabels?.tags.sort()).toEqual(["computer-vision", "object-detection", "pytorch"]);
    const provenance = JSON.parse(readFileSync(join(work, "qa.provenance.json"), "utf8"));
    // One label per (content, tag): an item queued by two rules is one label.
    expect(provenance.labels.length).toBe(
      new Set(items.map((i) => `${i.content_id}/${i.tag}`)).size,
    );
    expect(provenance.labels.every((l: { reviewer: string }) => l.reviewer === "rev-1")).toBe(true);

    // 5. The QA'd labels split by time, as the README says: a new model on the training data plus the first part,
    // registered as a candidate. (The sample plays both the training data and the gold data here.)
    const parts = join(work, "qa");
    const split = tagsmith([
      "data",
      "split",
      "--data",
      qa,
      "--out",
      parts,
      "--ratios",
      "0.7,0.3",
      "--names",
      "train,test",
    ]);
    expect(split.status, split.stderr).toBe(0);
    const qaTrain = JSON.parse(readFileSync(join(parts, "train.json"), "utf8")) as unknown[];
    const retrained = tagsmith([
      "train",
      "--data",
      SAMPLE_CONTENT,
      join(parts, "train.json"),
      "--taxonomy",
      SAMPLE_TAXONOMY,
      "--seed",
      "7",
      "--register",
      "--registry",
      registryDir,
    ]);
    expect(retrained.status, retrained.stderr).toBe(0);
    const candidate = (await new ModelRegistry(registryDir).list()).versions.find(
      (v) => v.stage === "candidate",
    );
    expect(candidate?.manifest.data.items).toBe(80 + qaTrain.length);

    // 6. The gate scores candidate and production on the gold data plus the QA'd labels the candidate did not learn.
    const promoted = tagsmith([
      "models",
      "promote",
      String(candidate?.id),
      "--gold",
      SAMPLE_CONTENT,
      "--gold",
      join(parts, "test.json"),
      "--registry",
      registryDir,
    ]);
    const said = promoted.stdout + promoted.stderr;
    expect([0, 1]).toContain(promoted.status);
    expect(said).toContain(`gate on ${SAMPLE_CONTENT} + ${join(parts, "test.json")}`);
    // The candidate saw no gold item production did not: judged, not refused for its data.
    expect(said).not.toContain("the gate cannot tell whether it is better");
    // Both models scored side by side on the same data; the verdict follows the scores.
    expect(said).toContain(`candidate ${candidate?.id}`);
    expect(said).toContain(`production ${production}`);
    const verdicts = [...said.matchAll(/^(suggested F1|recall@5) \*\s+\S+\s+\S+\s+(ok|WORSE)$/gm)];
    expect(verdicts.map((m) => m[1])).toEqual(["suggested F1", "recall@5"]);
    expect(promoted.status).toBe(verdicts.some((m) => m[2] === "WORSE") ? 1 : 0);
    const state = await new ModelRegistry(registryDir).readState();
    expect(state.production).toBe(promoted.status === 0 ? candidate?.id : production);
  }, 180_000);
});
