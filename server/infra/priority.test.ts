import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { lowerPriority } from "./priority.js";

const priorityModule = fileURLToPath(new URL("./priority.ts", import.meta.url));

/** Runs lowerPriority(nice) in a fresh Node process (started under `nice -n startAt`) and returns each thread's nice value after. */
function threadPriorities(nice: number, startAt: number): number[] {
  const script = `
    import os from "node:os";
    import { readdirSync } from "node:fs";
    const { lowerPriority } = await import(${JSON.stringify(priorityModule)});
    lowerPriority(${nice});
    console.log(JSON.stringify(readdirSync("/proc/self/task").map((t) => os.getPriority(Number(t)))));
  `;
  const out = execFileSync("nice", ["-n", String(startAt), process.execPath, "--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" });
  return JSON.parse(out.trim()) as number[];
}

describe.runIf(process.platform === "linux")("lowerPriority", () => {
  it("sets every thread of the process, not only the main one", () => {
    const nices = threadPriorities(10, 0);
    expect(nices.length).toBeGreaterThan(1); // V8's and libuv's threads besides the main one
    expect(new Set(nices)).toEqual(new Set([10]));
  });

  it("never raises a priority: a process started lower stays where it was", () => {
    expect(new Set(threadPriorities(5, 12))).toEqual(new Set([12]));
  });

  it("skips a thread that ended between listing and setting", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "parley-tasks-"));
    try {
      mkdirSync(path.join(dir, "999999999")); // above any pid_max: no such thread
      expect(lowerPriority(5, dir)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
