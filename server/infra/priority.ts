import { readdirSync } from "node:fs";
import os from "node:os";

/**
 * Lowers this process's CPU priority to the nice value `nice` (0–19; higher runs later when the
 * cores are busy) and returns how many threads now run at `nice` or lower. `tasksDir` lists the
 * threads (the process's own by default). Linux keeps a nice value per thread, and
 * V8's and libuv's helper threads exist before this runs, so each thread is set; threads started
 * afterwards inherit it from the thread that starts them. A thread that already runs at a lower
 * priority (the process was started with `nice`) keeps it: this never raises a priority.
 */
export function lowerPriority(nice: number, tasksDir = "/proc/self/task"): number {
  let threads: number[];
  try {
    threads = readdirSync(tasksDir).map(Number);
  } catch {
    threads = [0]; // no /proc (not Linux): the process as a whole
  }
  let set = 0;
  for (const tid of threads) {
    try {
      if (os.getPriority(tid) < nice) os.setPriority(tid, nice);
      set++;
    } catch (err) {
      // Node reports the errno as info.code of an ERR_SYSTEM_ERROR.
      if ((err as { info?: { code?: string } }).info?.code !== "ESRCH") throw err; // the thread ended meanwhile
    }
  }
  return set;
}
