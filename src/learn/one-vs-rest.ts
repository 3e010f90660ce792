// One-vs-rest training: one binary logistic regression per tag, spread over worker threads.
// Each tag's model depends only on the data, the config and its own seed, so results are the same whatever the
// number of workers; the feature matrix is shared with workers through SharedArrayBuffers, not copied per tag.

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { SparseMatrix } from "../features/index.js";
import { type BinaryModel, type LogisticConfig, trainLogistic } from "./logistic.js";

export interface OneVsRestJob {
  x: SparseMatrix;
  /** labels[c] marks the rows in class c (one byte per row). */
  labels: Uint8Array[];
  config: LogisticConfig;
  seed: number;
}

export interface WorkerTask {
  x: SparseMatrix;
  labels: Uint8Array;
  rows: number;
  config: LogisticConfig;
  seed: number;
}

export function classSeed(seed: number, classIndex: number): number {
  return (seed * 7919 + classIndex * 104729 + 1) >>> 0;
}

function shared<T extends Int32Array | Float32Array | Uint8Array>(array: T): T {
  const copy = new (array.constructor as new (buffer: SharedArrayBuffer) => T)(
    new SharedArrayBuffer(array.byteLength),
  );
  copy.set(array as never);
  return copy;
}

const WORKER = fileURLToPath(new URL("./one-vs-rest-worker.js", import.meta.url));

/**
 * Trains every class. With `workers` > 1 and the compiled worker script present, classes are spread over threads;
 * otherwise (e.g. tests running the TypeScript sources) they are trained in this thread, with the same result.
 */
export async function trainOneVsRest(
  job: OneVsRestJob,
  workers: number,
  onClassDone: (done: number, total: number) => void = () => {},
): Promise<BinaryModel[]> {
  const total = job.labels.length;
  const results: BinaryModel[] = new Array(total);
  let done = 0;
  if (workers <= 1 || total < 2 || !existsSync(WORKER)) {
    job.labels.forEach((labels, c) => {
      results[c] = trainLogistic(job.x, labels, job.config, classSeed(job.seed, c));
      onClassDone(++done, total);
    });
    return results;
  }

  const x: SparseMatrix = {
    ...job.x,
    offsets: shared(job.x.offsets),
    indices: shared(job.x.indices),
    values: shared(job.x.values),
  };
  const rows = x.rows;
  const labels = new Uint8Array(new SharedArrayBuffer(total * rows));
  job.labels.forEach((l, c) => {
    labels.set(l, c * rows);
  });
  // A queue, largest classes first: frequent tags take longest, so starting them early keeps both threads busy.
  const sizes = job.labels.map((l) => l.reduce((s, v) => s + v, 0));
  const queue = Array.from({ length: total }, (_, c) => c).sort(
    (a, b) => sizes[b] - sizes[a] || a - b,
  );
  const task: WorkerTask = { x, labels, rows, config: job.config, seed: job.seed };
  const pool: Worker[] = [];
  try {
    await Promise.all(
      Array.from(
        { length: Math.min(workers, total) },
        () =>
          new Promise<void>((resolve, reject) => {
            const worker = new Worker(WORKER, { workerData: task });
            pool.push(worker);
            const next = () => worker.postMessage(queue.length > 0 ? queue.shift() : null);
            worker.on(
              "message",
              (message: { c: number; weights: Float32Array; intercept: number } | "ready") => {
                if (message !== "ready") {
                  results[message.c] = { weights: message.weights, intercept: message.intercept };
                  onClassDone(++done, total);
                }
                next();
              },
            );
            worker.on("error", reject);
            worker.on("exit", (code) =>
              code === 0
                ? resolve()
                : reject(new Error(`one-vs-rest worker exited with code ${code}`)),
            );
          }),
      ),
    );
  } catch (error) {
    // One worker failed: stop the others rather than let them train classes nobody will collect.
    await Promise.all(pool.map((worker) => worker.terminate()));
    throw error;
  }

  return results;
}
