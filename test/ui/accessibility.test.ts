// What axe-core finds against WCAG 2.1 A and AA on every page tagsmith serves, in Debian's chromium (playwright-core):
// the editor with suggestions shown, light and dark; every section of the admin console, and its tables on a 320 px
// screen; and the widget on a plain host page of another origin. Served by the real service with a model trained on
// the bundled sample and the embedded store; axe looks inside the widget's open shadow root. A serious or critical
// violation fails the test.

import { createServer, type Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import type { AxeResults, ImpactValue, RunOptions } from "axe-core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/serve/index.js";
import { chromiumPath, launchBrowser, requireBuiltUi } from "../support/browser.js";
import { postJson, removeDir, serveForTest, tempDir, trainSample } from "../support/serve.js";
import { embeddedStore } from "../support/store-image.js";

const executablePath = chromiumPath();
const AXE = join(dirname(createRequire(import.meta.url).resolve("axe-core")), "axe.min.js");
const AXE_OPTIONS: RunOptions = {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
};
const FAILING: readonly ImpactValue[] = ["serious", "critical"];
const TOKEN = "test-admin-token";
const TITLE = "Object detection with PyTorch";

let browser: Browser;
let dir: string;
let server: RunningServer;
let host: Server;
let hostUrl: string;

/**
 * A host page that is nothing but a form and the widget, as the README shows it. In `colorScheme`, if given: the page
 * paints its own background in the scheme's canvas colour (axe takes an unpainted page for white, the dark canvas
 * included).
 */
function hostPage(colorScheme: string | null): string {
  const scheme = colorScheme
    ? `<meta name="color-scheme" content="${colorScheme}"><style>body{background:Canvas;color:CanvasText}</style>`
    : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">${scheme}<title>A host</title>
<script src="${server.url}/widget.js" defer></script></head><body><main>
<form><label for="title">Title</label><input id="title"><label for="description">Description</label>
<textarea id="description"></textarea><label for="tags">Tags</label><input id="tags"></form>
<tagsmith-suggestions title-input="#title" description-input="#description" tags-input="#tags">
</tagsmith-suggestions></main></body></html>`;
}

/**
 * One editing session that was shown suggestions, then saved other tags: the review queue gets items from it, and
 * the taxonomy candidates the tag that is not approved.
 */
async function seedReview(): Promise<void> {
  const session = "a11y-session";
  const model = { id: "sample", version: "test" };
  const feedback = await postJson(server.url, "/v1/feedback", {
    events: [
      {
        id: `${session}-shown`,
        session,
        type: "shown",
        suggestions: [
          { tag: "pytorch", score: 0.91, source: "explicit" },
          { tag: "computer-vision", score: 0.74, source: "implicit" },
        ],
        latency_ms: 40,
        model,
      },
      { id: `${session}-accepted`, session, type: "accepted", tag: "computer-vision", model },
    ],
  });
  expect(feedback.status, feedback.text).toBe(200);
  const saved = await postJson(server.url, "/v1/content", {
    title: "Object detection with PyTorch on drone footage",
    description: "A one-stage detector fine-tuned on aerial images, with mAP by object size.",
    tags: ["computer-vision", "object-detection", "drone-footage-2026"],
    author: "author-a11y",
    session,
  });
  expect(saved.status, saved.text).toBe(201);
}

beforeAll(async () => {
  if (!executablePath) return;
  requireBuiltUi("widget.js");
  dir = await tempDir("tagsmith-a11y-");
  await trainSample(dir);
  server = await serveForTest(
    { kind: "directory", dir },
    { store: embeddedStore(), adminToken: TOKEN, pollMs: 60_000 },
  );
  await seedReview();
  // The page's query string is its color-scheme.
  host = createServer((req, res) => {
    const scheme = new URL(req.url ?? "/", "http://host").searchParams.get("color-scheme");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(hostPage(scheme));
  });
  await new Promise<void>((resolve) => host.listen(0, "127.0.0.1", resolve));
  hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  browser = await launchBrowser(executablePath);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (host ? host.close(resolve) : resolve(undefined)));
  await server?.close();
  await removeDir(dir);
});

async function openPage(
  url: string,
  colorScheme: "light" | "dark" = "light",
  viewport = { width: 1280, height: 900 },
): Promise<Page> {
  // The pages' Content-Security-Policy allows only their own scripts; axe is injected inline.
  const page = await browser.newPage({ bypassCSP: true, viewport });
  await page.emulateMedia({ colorScheme });
  await page.goto(url);
  return page;
}

interface Finding {
  id: string;
  impact: ImpactValue | undefined;
  help: string;
  nodes: { target: string; summary: string }[];
}

/** axe's WCAG 2.1 A/AA violations on the page as it is now, the widget's shadow root included. */
async function violations(page: Page): Promise<Finding[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async (options) => {
    // Typed loosely: this file is typed for Node, not the DOM.
    const g = globalThis as unknown as {
      document: unknown;
      axe: { run(context: unknown, options: RunOptions): Promise<AxeResults> };
    };
    const results = await g.axe.run(g.document, options);
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({
        target: JSON.stringify(n.target),
        summary: (n.failureSummary ?? "").replace(/\s+/g, " ").trim(),
      })),
    }));
  }, AXE_OPTIONS);
}

function describeFindings(findings: readonly Finding[]): string {
  return findings
    .map(
      (f) =>
        `${f.id} (${f.impact}): ${f.help}\n${f.nodes.map((n) => `  ${n.target}: ${n.summary}`).join("\n")}`,
    )
    .join("\n");
}

/** Fails on every serious or critical violation, each named with its nodes; the milder ones are logged. */
async function expectAccessible(page: Page, what: string): Promise<void> {
  const found = await violations(page);
  const failing = found.filter((f) => FAILING.includes(f.impact ?? null));
  const milder = found.filter((f) => !FAILING.includes(f.impact ?? null));
  if (milder.length) console.info(`axe, ${what}, below serious:\n${describeFindings(milder)}`);
  expect(failing, `axe, ${what}:\n${describeFindings(failing)}`).toEqual([]);
}

/** Signed in to the console, with the reviewer's name given. */
async function signInToConsole(page: Page): Promise<void> {
  await page.locator("#token").fill(TOKEN);
  await page.locator("#sign-in-button").click();
  await page.locator("#console").waitFor();
  const name = page.locator("#reviewer-name");
  if (await name.isVisible()) {
    await name.fill("Test Reviewer");
    await name.press("Enter");
    await page.locator("#reviewer-line", { hasText: "Test Reviewer" }).waitFor();
  }
}

/** Opens a section of the console by its tab, once its table has rows. */
async function openSection(page: Page, name: "metrics" | "candidates" | "models"): Promise<void> {
  await page.locator(`#tab-${name}`).click();
  const table = {
    metrics: "#metrics-by-tag",
    candidates: "#candidates-table",
    models: "#models-table",
  };
  await page.locator(`${table[name]} tbody tr`).first().waitFor();
}

async function showSuggestions(page: Page): Promise<void> {
  await page.locator("#title").pressSequentially(TITLE, { delay: 10 });
  await page.locator('tagsmith-suggestions [data-tag="pytorch"]').waitFor();
}

describe.skipIf(!executablePath)("accessibility (axe-core, WCAG 2.1 A and AA)", () => {
  for (const scheme of ["light", "dark"] as const) {
    it(`the editor with suggestions shown, ${scheme}`, async () => {
      const page = await openPage(`${server.url}/`, scheme);
      await showSuggestions(page);
      await expectAccessible(page, `editor, ${scheme}`);
      await page.close();
    });
  }

  for (const scheme of ["light", "dark"] as const) {
    it(`the admin console's review queue, metrics, taxonomy candidates and models, ${scheme}`, async () => {
      const page = await openPage(`${server.url}/admin#review`, scheme);
      await page.locator("#sign-in-form").waitFor();
      await expectAccessible(page, `admin sign-in, ${scheme}`);
      await signInToConsole(page);
      await page.locator("#review-card").waitFor();
      await expectAccessible(page, `admin review queue, ${scheme}`);
      await openSection(page, "metrics");
      await expectAccessible(page, `admin metrics, ${scheme}`);
      await openSection(page, "candidates");
      await page.locator('#candidates-table [data-candidate="drone-footage-2026"]').waitFor();
      await expectAccessible(page, `admin taxonomy candidates, ${scheme}`);
      await page.getByRole("button", { name: /^Alias of/ }).click();
      await page.locator("#candidates-table .alias-form input").waitFor();
      await expectAccessible(page, `admin taxonomy candidates, alias form open, ${scheme}`);
      await openSection(page, "models");
      await expectAccessible(page, `admin models, ${scheme}`);
      await page.close();
    });
  }

  // At 320 px the console's tables scroll sideways: a keyboard must reach them.
  it("the admin console's tables on a 320 px screen", async () => {
    const page = await openPage(`${server.url}/admin#metrics`, "light", {
      width: 320,
      height: 640,
    });
    await signInToConsole(page);
    for (const name of ["metrics", "candidates", "models"] as const) {
      await openSection(page, name);
      await expectAccessible(page, `admin ${name}, 320 px`);
      // axe lets a scroll box pass when it holds a button (the candidates' proposals); the columns before it must
      // be reachable all the same: every box that scrolls is a named stop in the tab order.
      const boxes = await page.locator(`#panel-${name} .table-scroll`).evaluateAll((nodes) =>
        nodes.map((node) => ({
          scrolls: node.scrollWidth > node.clientWidth,
          tabIndex: (node as unknown as { tabIndex: number }).tabIndex,
          role: node.getAttribute("role"),
          named: Boolean(
            node.getAttribute("aria-labelledby") &&
              node.ownerDocument.getElementById(node.getAttribute("aria-labelledby") ?? "")
                ?.textContent,
          ),
        })),
      );
      expect(boxes.length, name).toBeGreaterThan(0);
      for (const box of boxes)
        expect({ name, ...box }).toEqual({
          name,
          scrolls: true,
          tabIndex: 0,
          role: "region",
          named: true,
        });
    }
    await page.close();
  });

  // A host that declares no color-scheme stays light whatever the reader's setting, and so must the widget on it; one
  // that declares "light dark" is dark for a reader who prefers dark, and so must the widget be.
  const hosts = [
    { scheme: "light", declared: null },
    { scheme: "dark", declared: null },
    { scheme: "dark", declared: "light dark" },
  ] as const;
  for (const { scheme, declared } of hosts) {
    const what = `host page, ${scheme}, color-scheme ${declared ?? "undeclared"}`;
    it(`the widget on a plain ${what}, suggestions and the report menu shown`, async () => {
      const query = declared ? `?color-scheme=${encodeURIComponent(declared)}` : "";
      const page = await openPage(`${hostUrl}/${query}`, scheme);
      await showSuggestions(page);
      await expectAccessible(page, what);
      await page.locator('tagsmith-suggestions [data-report="pytorch"]').click();
      await page.locator('tagsmith-suggestions [data-reason="wrong"]').waitFor();
      await expectAccessible(page, `${what}, report menu open`);
      await page.close();
    });
  }
});
