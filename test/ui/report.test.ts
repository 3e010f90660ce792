// The eval report (report.html) in Debian's chromium, at 1280 and 360 px, light and dark, and at A4 print width: it
// fits without scrolling sideways, labels every charted tag, draws legible charts in either scheme, marks the model's
// threshold, makes no request, and axe-core (WCAG 2.1 A and AA, and best practice) finds nothing.

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { AxeResults } from "axe-core";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluate, renderReport, thresholdCurve } from "../../src/eval/index.js";
import type { Tagger } from "../../src/taggers/index.js";
import { Taxonomy } from "../../src/taxonomy/index.js";
import { chromiumPath, contrastRatio, launchBrowser } from "../support/browser.js";

const executablePath = chromiumPath();
const require = createRequire(import.meta.url);
const AXE = join(dirname(require.resolve("axe-core")), "axe.min.js");
const CHART_JS = join(dirname(require.resolve("chart.js")), "chart.umd.min.js");

/** More tags than the chart shows (40), one of them written right to left. */
const RTL_TAG = "למידה-עמוקה";
const TAGS = [
  RTL_TAG,
  ...Array.from({ length: 44 }, (_, i) => `tag-${String(i).padStart(2, "0")}`),
];
const THRESHOLD = 0.45;
/** A data path as eval puts it in the title: long, and with no place to break. */
const TITLE = `tagsmith ensemble model on /${"a_long_directory_name_with_no_hyphen/".repeat(4)}projects.json`;

/**
 * Item i has tag i % 45 and the next one, and the last five the right-to-left tag alone, so that it is the most
 * frequent; the tagger ranks an item's first tag at 0.8 and a wrong one at 0.3, and suggests what scores THRESHOLD
 * or more.
 */
const items = Array.from({ length: 185 }, (_, i) => ({
  id: `i${i}`,
  title: `item ${i}`,
  description: "",
  gold: (i < 180 ? [TAGS[i % 45], TAGS[(i + 1) % 45]] : [RTL_TAG]) as string[],
}));
const tagger: Tagger = {
  name: "fixed",
  suggest: (content, options = {}) => {
    const i = Number(content.title.slice(5));
    const ranked = [
      { tag: TAGS[i % 45] as string, score: 0.8, source: "implicit" as const },
      { tag: TAGS[(i + 7) % 45] as string, score: 0.3, source: "implicit" as const },
    ];
    return ranked
      .filter((s) => s.score >= (options.minScore ?? THRESHOLD))
      .filter((s) => !options.exclude?.includes(s.tag))
      .slice(0, options.limit ?? 5);
  },
};

let browser: Browser;
let dir: string;
let file: string;

beforeAll(async () => {
  if (!executablePath) return;
  const taxonomy = new Taxonomy(TAGS.map((tag) => ({ tag, aliases: [], parents: [] })));
  const { evaluated, ...report } = evaluate(tagger, items, taxonomy, { limit: 5 });
  dir = await mkdtemp(join(tmpdir(), "tagsmith-report-"));
  file = join(dir, "report.html");
  const html = renderReport({
    title: TITLE,
    report,
    curve: thresholdCurve(evaluated, 5),
    threshold: THRESHOLD,
    chartJs: await readFile(CHART_JS, "utf8"),
  });
  await writeFile(file, html);
  browser = await launchBrowser(executablePath);
});

afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The report at `width` in `scheme`, with the requests it makes. */
async function open(width: number, scheme: "light" | "dark") {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const requests: string[] = [];
  page.on("request", (request) => {
    if (!request.url().startsWith("file:")) requests.push(request.url());
  });
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(`file://${file}`);
  await page.waitForFunction(() => (globalThis as { Chart?: unknown }).Chart !== undefined);
  return { page, requests };
}

/** The page's globals these tests use: they compile without the DOM's types. */
interface InPage {
  // biome-ignore lint/suspicious/noExplicitAny: Chart.js's global, untyped in the page
  Chart: any;
  axe: { run(context: unknown, options: unknown): Promise<AxeResults> };
  document: {
    documentElement: { scrollWidth: number; clientWidth: number };
    body: { append(node: unknown): void };
    createElement(tag: string): { style: Record<string, string> };
  };
  getComputedStyle(node: unknown): { color: string; backgroundColor: string };
}

/** How wide the document is against the viewport: wider scrolls sideways. */
const widths = (page: Page) =>
  page.evaluate(() => {
    const { documentElement } = (globalThis as unknown as InPage).document;
    return { scroll: documentElement.scrollWidth, client: documentElement.clientWidth };
  });

interface ChartsSeen {
  background: string;
  text: string;
  grid: string;
  series: { colour: string; dash: string; point: string }[];
  sliceColours: string[];
  tagLabels: number;
  tagTicks: number;
  labels: string[];
  marker: { x: number; y: number }[] | undefined;
}

/** What Chart.js drew with, as computed colours: the page's background, chart text, grid (blended) and series. */
function chartsSeen(page: Page): Promise<ChartsSeen> {
  return page.evaluate(() => {
    const { Chart, document, getComputedStyle } = globalThis as unknown as InPage;
    const probe = document.createElement("div");
    probe.style.background = "Canvas";
    document.body.append(probe);
    const rgb = (colour: string) => {
      probe.style.color = colour;
      return getComputedStyle(probe).color;
    };
    const background = getComputedStyle(probe).backgroundColor;
    // A translucent grid line over the background, as the eye sees it.
    const [r, g, b, a] = (rgb(Chart.defaults.borderColor).match(/[\d.]+/g) ?? []).map(Number);
    const [br, bg, bb] = (background.match(/[\d.]+/g) ?? []).map(Number);
    const over = (c: number, d: number) => Math.round(c * (a ?? 1) + d * (1 - (a ?? 1)));
    const curve = Chart.getChart("curve");
    const tags = Chart.getChart("tags");
    // biome-ignore lint/suspicious/noExplicitAny: Chart.js datasets
    const datasets: any[] = curve.data.datasets;
    return {
      background,
      text: rgb(Chart.defaults.color),
      grid: `rgb(${over(r, br)}, ${over(g, bg)}, ${over(b, bb)})`,
      series: datasets
        .filter((d) => !d.label.startsWith("model threshold"))
        .map((d) => ({
          colour: rgb(d.borderColor),
          dash: JSON.stringify(d.borderDash),
          point: d.pointStyle,
        })),
      // biome-ignore lint/suspicious/noExplicitAny: Chart.js datasets
      sliceColours: Chart.getChart("slices").data.datasets.map((d: any) => rgb(d.backgroundColor)),
      tagLabels: tags.data.labels.length,
      tagTicks: tags.scales.y.ticks.length,
      labels: tags.data.labels,
      marker: datasets.find((d) => d.label.startsWith("model threshold"))?.data,
    };
  });
}

describe.skipIf(!executablePath)("the eval report in chromium", () => {
  for (const width of [1280, 360])
    for (const scheme of ["light", "dark"] as const)
      it(`at ${width} px, ${scheme}: fits, labels every charted tag, legible, no request, axe finds nothing`, async () => {
        const { page, requests } = await open(width, scheme);
        try {
          const { scroll, client } = await widths(page);
          expect(scroll).toBe(client);
          const seen = await chartsSeen(page);
          expect(seen.tagLabels).toBe(40);
          expect(seen.tagTicks).toBe(40);
          // Chart text at least 4.5:1, grid lines visible, series opaque and at least 3:1 against the page.
          expect(contrastRatio(seen.text, seen.background)).toBeGreaterThanOrEqual(4.5);
          expect(contrastRatio(seen.grid, seen.background)).toBeGreaterThanOrEqual(1.5);
          for (const colour of [...seen.series.map((s) => s.colour), ...seen.sliceColours]) {
            expect(colour).toMatch(/^rgb\(/);
            expect(contrastRatio(colour, seen.background)).toBeGreaterThanOrEqual(3);
          }
          // Told apart by dash and point style, not by colour alone.
          expect(new Set(seen.series.map((s) => s.dash)).size).toBe(seen.series.length);
          expect(new Set(seen.series.map((s) => s.point)).size).toBe(seen.series.length);
          expect(seen.marker).toEqual([
            { x: THRESHOLD, y: 0 },
            { x: THRESHOLD, y: 1 },
          ]);
          expect(seen.labels[0]).toBe(`\u2068${RTL_TAG}\u2069 (13)`);
          await page.addScriptTag({ path: AXE });
          const results: AxeResults = await page.evaluate(() => {
            const { axe, document } = globalThis as unknown as InPage;
            return axe.run(document, {
              runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
            });
          });
          expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
          expect(requests).toEqual([]);
        } finally {
          await page.close();
        }
      });

  it("fits A4 paper when printed", async () => {
    const { page } = await open(1280, "light");
    try {
      await page.emulateMedia({ media: "print" });
      // A4's printable width at 96 px to the inch, less the default margins.
      await page.setViewportSize({ width: 718, height: 1000 });
      await page.waitForTimeout(300);
      const { scroll, client } = await widths(page);
      expect(scroll).toBe(client);
    } finally {
      await page.close();
    }
  });

  it("exposes each chart as an image with its summary, and the figures as terms and values", async () => {
    const { page } = await open(1280, "light");
    try {
      const tree = await page.locator("main").ariaSnapshot();
      expect(tree).toMatch(
        /img "Line chart: precision, recall and F1[^"]*model'+s threshold, 0\.450/,
      );
      expect(tree).toMatch(
        /img "Horizontal bar chart: F1 of the 40 most frequent of the 45 gold tags/,
      );
      expect(tree).toContain("term: precision");
    } finally {
      await page.close();
    }
  });
});
