// Worker thread body for one-vs-rest training: trains the classes the main thread hands it, one at a time, and posts
// each model back; a null class means there is no more work.

import { parentPort, workerData } from "node:worker_threads";
import { trainLogistic } from "./logistic.js";
import { classSeed, type WorkerTask } from "./one-vs-rest.js";

const task = workerData as WorkerTask;
// Private copies: V8 compiles loops over SharedArrayBuffer-backed arrays to slower code than over ordinary ones.
const x = {
  ...task.x,
  offsets: task.x.offsets.slice(),
  indices: task.x.indices.slice(),
  values: task.x.values.slice(),
};

parentPort?.on("message", (c: number | null) => {
  if (c === null) {
    parentPort?.close();
    return;
  }
  const labels = task.labels.slice(c * task.rows, (c + 1) * task.rows);
  const model = trainLogistic(x, labels, task.config, classSeed(task.seed, c));
  parentPort?.postMessage({ c, weights: model.weights, intercept: model.intercept }, [
    model.weights.buffer as ArrayBuffer,
  ]);
});
parentPort?.postMessage("ready");
