import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    testTimeout: 30_000,
    // Set-up hooks train models and start services; on a loaded 2-core machine they can pass 10 s.
    hookTimeout: 60_000,
    // Vitest's default (one fewer than the cores) runs files one at a time on a 2-core machine, while most of a
    // file's time is spent waiting on child processes, chromium and databases: two at a time took the suite from
    // 500 s to 354 s there, all passing.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ["default", "./test/support/summary-reporter.ts"],
    projects: [
      // The modules' own tests are pure functions and in-memory fakes: one process runs them all, rather than a
      // process each (72 files took 28 s apart, 9 s together).
      { extends: true, test: { name: "unit", include: ["src/**/*.test.ts"], isolate: false } },
      // Services, browsers, databases and the built CLI: a fresh process per file, as each starts its own.
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          globalSetup: ["./test/support/store-image.ts"],
        },
      },
    ],
  },
});
