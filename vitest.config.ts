import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    // Set-up hooks train models and start services; on a loaded 2-core machine they can pass 10 s.
    hookTimeout: 60_000,
    // Vitest's default (one fewer than the cores) runs files one at a time on a 2-core machine, while most of a
    // file's time is spent waiting on child processes, chromium and databases: two at a time took the suite from
    // 500 s to 354 s there, all passing.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
