// The time from an author's last keystroke in the title to suggestions on screen, measured inside the page (so
// the debounce, the request, the model and the rendering all count), on the content editor at /.
// Shared by `npm run bench:ui` and the browser test, which prints it.

import type { Page } from "playwright-core";
import { percentile } from "../src/eval/index.js";

interface Probe {
  lastInput: number;
  latencies: number[];
}
// biome-ignore lint/suspicious/noExplicitAny: these functions run in the page; this file is typed for Node, not the DOM
type PageGlobal = any;

/**
 * Runs in the page: notes the last input event on the title, and the frame after each `tagsmith:shown` (the widget
 * renders, then fires it; the next animation frame is when it is painted).
 */
function installProbe(): void {
  const page: PageGlobal = globalThis;
  const probe: Probe = { lastInput: 0, latencies: [] };
  page.__tagsmithLatency = probe;
  page.document.querySelector("#title").addEventListener(
    "input",
    () => {
      probe.lastInput = page.performance.now();
    },
    true,
  );
  page.document.querySelector("tagsmith-suggestions").addEventListener("tagsmith:shown", () => {
    page.requestAnimationFrame(() =>
      probe.latencies.push(page.performance.now() - probe.lastInput),
    );
  });
}

const latencies = (): number[] => (globalThis as PageGlobal).__tagsmithLatency.latencies;
const shownMoreThan = (n: number): boolean =>
  (globalThis as PageGlobal).__tagsmithLatency.latencies.length > n;

/** Types each title (after clearing the field) at `delayMs` per key and waits for its suggestions: ms each. */
export async function measureSuggestionLatency(
  page: Page,
  titles: readonly string[],
  delayMs = 30,
): Promise<number[]> {
  await page.locator("tagsmith-suggestions").waitFor({ state: "attached" });
  // Functions, not strings: the editor's content security policy forbids eval, and strings would need it.
  await page.evaluate(installProbe);
  for (const title of titles) {
    const before = (await page.evaluate(latencies)).length;
    await page.locator("#title").fill("");
    await page.locator("#title").pressSequentially(title, { delay: delayMs });
    await page.waitForFunction(shownMoreThan, before, { timeout: 10_000 });
  }
  return page.evaluate(latencies);
}

export function latencySummary(latencies: readonly number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const ms = (x: number) => Math.round(x * 10) / 10;
  return {
    n: sorted.length,
    p50_ms: ms(percentile(sorted, 0.5)),
    p95_ms: ms(percentile(sorted, 0.95)),
    max_ms: ms(sorted.at(-1) ?? 0),
  };
}
