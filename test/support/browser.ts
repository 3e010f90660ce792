// A real browser for the UI tests: Debian's chromium driven by playwright-core. Absent, the tests are skipped
// locally but fail under CI=true, where .ci/run installs it: a skip there would hide a broken setup.

import { existsSync } from "node:fs";
import { CHROMIUM } from "../../bench/chromium.js";

export { launchChromium as launchBrowser } from "../../bench/chromium.js";

/** The chromium to drive, or undefined (skip) when it is not installed outside CI. */
export function chromiumPath(): string | undefined {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  if (process.env.CI === "true") throw new Error(`chromium missing under CI: ${CHROMIUM}`);
  return undefined;
}
