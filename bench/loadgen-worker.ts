import { parentPort, workerData } from "node:worker_threads";
import { runLoad, type LoadSpec } from "./loadgen.js";

// Entry point of the load generator's worker thread (see startLoadWorker): loaded, it says "ready",
// and runs its load when told "go".
const port = parentPort!;
port.once("message", () => {
  void runLoad(workerData as LoadSpec).then((result) => port.postMessage({ type: "result", result }));
});
port.postMessage({ type: "ready" });
