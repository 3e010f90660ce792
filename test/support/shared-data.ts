// Locates the shared Made With ML data for tests and benchmarks. Absent data skips a test locally, but under
// CI=true it fails: CI always has ../shared beside the checkout, so a skip there would hide a broken setup.

import { existsSync } from "node:fs";
import { resolve } from "node:path";

export const SHARED_MWML = resolve(import.meta.dirname, "../../../shared/data/mwml");

export function mwmlFile(
  name: "projects.json" | "tags.json" | "dataset.csv" | "holdout.csv",
): string | undefined {
  const file = resolve(SHARED_MWML, name);
  if (existsSync(file)) return file;
  if (process.env.CI === "true") throw new Error(`shared data missing under CI: ${file}`);
  return undefined;
}
