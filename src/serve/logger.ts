// Structured logs: one JSON object per line on stdout, with ISO times and level names, for log collectors.

import { type LevelWithSilent, type Logger, pino } from "pino";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export function createLogger(
  level: LevelWithSilent = "info",
  destination?: NodeJS.WritableStream,
): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
