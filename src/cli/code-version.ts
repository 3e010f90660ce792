// The code that is running: the package version and, in a git checkout, its commit (recorded in every manifest).

import { execFileSync } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../files/index.js";

export function packageVersion(): string {
  const { version } = JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as {
    version: string;
  };
  return version;
}

/**
 * HEAD of the checkout tagsmith runs from; null without git, outside a checkout, or when tagsmith is installed
 * inside some other repository (whose commit says nothing about tagsmith's code).
 */
export function gitCommit(): string | null {
  try {
    const [top, head] = execFileSync("git", ["rev-parse", "--show-toplevel", "HEAD"], {
      cwd: PACKAGE_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 5_000,
    })
      .trim()
      .split("\n");
    if (!top || !head || realpathSync(top) !== realpathSync(PACKAGE_ROOT)) return null;
    return /^[0-9a-f]{40,64}$/.test(head) ? head : null;
  } catch {
    return null;
  }
}
