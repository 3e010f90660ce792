// Debian's chromium driven by playwright-core, as the browser tests and `npm run bench:ui` launch it.

import { type Browser, chromium } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** Headless as root on a machine with no internet: no sandbox, no GPU, no background network, no updates. */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

export function launchChromium(executablePath = CHROMIUM): Promise<Browser> {
  return chromium.launch({ executablePath, args: FLAGS, headless: true });
}
