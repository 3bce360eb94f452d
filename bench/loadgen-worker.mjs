// Entry point of the load generator's worker thread (see runLoadInWorker in loadgen.ts). It is plain
// JavaScript because a worker thread does not inherit tsx's loader: it registers it, then runs the
// TypeScript entry.
import { register } from "tsx/esm/api";

register();
await import("./loadgen-worker.ts");
