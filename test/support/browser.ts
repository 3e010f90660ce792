// A real browser for the UI tests: Debian's chromium driven by playwright-core. Absent, the tests are skipped
// locally but fail under CI=true, where .ci/run installs it: a skip there would hide a broken setup.

import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { CHROMIUM } from "../../bench/chromium.js";
import { UI_DIR } from "../../src/serve/ui-routes.js";

export { launchChromium as launchBrowser } from "../../bench/chromium.js";

/** The chromium to drive, or undefined (skip) when it is not installed outside CI. */
export function chromiumPath(): string | undefined {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.env.CI === "true") throw new Error(`chromium missing under CI: ${CHROMIUM}`);
  return undefined;
}

/** Fails at once, saying what to run, when the browser bundle a test serves was not built. */
export function requireBuiltUi(bundle: "widget.js" | "admin.js"): void {
  if (!existsSync(join(UI_DIR, bundle)))
    throw new Error(`the UI is not built (${UI_DIR}): run npm run build first`);
}

/**
 * Holds the page's requests that `held` picks until the returned `release()`: a slow network, made deterministic.
 * The others go on at once.
 */
export async function holdRequests(
  page: Page,
  held: (method: string, url: URL) => boolean,
): Promise<() => void> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(
    () => true,
    async (route) => {
      const request = route.request();
      if (held(request.method(), new URL(request.url()))) await released;
      // The page may have given up on the request meanwhile (an abandoned open).
      await route.continue().catch(() => undefined);
    },
  );
  return release;
}

/** WCAG's contrast ratio of two computed colours, "rgb(r, g, b)" as getComputedStyle gives them (alpha ignored). */
export function contrastRatio(a: string, b: string): number {
  const luminance = (color: string) => {
    const channels = color
      .match(/[\d.]+/g)
      ?.slice(0, 3)
      .map(Number);
    if (channels?.length !== 3) throw new Error(`not an rgb() colour: ${color}`);
    const [r, g, bl] = channels.map((c) => {
      const s = c / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}
