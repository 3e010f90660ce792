// Progress bars on a terminal, silence otherwise (logs and CI stay clean).

import cliProgress from "cli-progress";

export type Progress = (stage: string, done: number, total: number) => void;

/** A progress callback drawing one bar per stage on stderr when it is a terminal; undefined when it is not. */
export function terminalProgress(): { progress: Progress | undefined; stop: () => void } {
  if (!process.stderr.isTTY) return { progress: undefined, stop: () => {} };
  let bar: cliProgress.SingleBar | undefined;
  let current = "";
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  const progress: Progress = (stage, done, total) => {
    if (stage !== current) {
      stop();
      current = stage;
      bar = new cliProgress.SingleBar(
        {
          format: `${stage} [{bar}] {value}/{total}`,
          stream: process.stderr,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
    }
    bar?.update(done);
  };
  return { progress, stop };
}
