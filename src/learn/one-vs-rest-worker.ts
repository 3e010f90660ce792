// Worker thread body for one-vs-rest training: trains its share of the classes and posts each model back.

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
for (const c of task.classes) {
  const labels = task.labels.slice(c * task.rows, (c + 1) * task.rows);
  const model = trainLogistic(x, labels, task.config, classSeed(task.seed, c));
  parentPort?.postMessage({ c, weights: model.weights, intercept: model.intercept }, [
    model.weights.buffer as ArrayBuffer,
  ]);
}
