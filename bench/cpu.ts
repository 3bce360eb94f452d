import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

/**
 * Who used the CPU during a phase, from /proc (Linux): this bench process (Parley, the load
 * generator thread, the ceilings), PostgreSQL, Redis, and everything else on the machine. The last
 * one tells whether the figures were taken on a quiet machine.
 */
export type CpuGroup = "bench" | "postgres" | "redis" | "other";
export type CpuSnapshot = { at: number; totalBusy: number; byGroup: Map<number, { group: CpuGroup; ticks: number }> };
export type CpuUse = { seconds: number; cores: number; byGroup: Record<CpuGroup, number>; busyShare: number };

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on Linux

function groupOf(pid: number, comm: string): CpuGroup | null {
  if (pid === process.pid) return "bench";
  if (comm === "postgres" || comm === "postmaster") return "postgres";
  if (comm === "redis-server") return "redis";
  return null;
}

/** A process's name and CPU ticks (its own, and its waited-for children's), from /proc/<pid>/stat. */
function procStat(pid: number): { comm: string; ownTicks: number; childTicks: number } {
  const line = readFileSync(`/proc/${pid}/stat`, "utf8");
  const close = line.lastIndexOf(")");
  const f = line.slice(close + 2).split(" "); // f[0] is field 3 (state); utime, stime, cutime, cstime follow at 11–14
  return { comm: line.slice(line.indexOf("(") + 1, close), ownTicks: Number(f[11]) + Number(f[12]), childTicks: Number(f[13]) + Number(f[14]) };
}

/** CPU seconds a process has used itself (user + system). */
export const cpuSecondsOf = (pid: number) => procStat(pid).ownTicks / TICKS_PER_SECOND;

export function cpuSnapshot(): CpuSnapshot | null {
  let stat: string;
  try {
    stat = readFileSync("/proc/stat", "utf8");
  } catch {
    return null; // not Linux
  }
  const cpu = stat.split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const totalBusy = (cpu[0] ?? 0) + (cpu[1] ?? 0) + (cpu[2] ?? 0) + (cpu[5] ?? 0) + (cpu[6] ?? 0) + (cpu[7] ?? 0);
  const byGroup = new Map<number, { group: CpuGroup; ticks: number }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const pid = Number(name);
      const stat = procStat(pid);
      const group = groupOf(pid, stat.comm);
      if (!group) continue;
      // Its own CPU plus its children's: the postmaster collects the CPU of backends that exited.
      byGroup.set(pid, { group, ticks: stat.ownTicks + stat.childTicks });
    } catch {
      // the process ended meanwhile
    }
  }
  return { at: Date.now(), totalBusy, byGroup };
}

export function cpuBetween(a: CpuSnapshot | null, b: CpuSnapshot | null): CpuUse | null {
  if (!a || !b) return null;
  const seconds = (b.at - a.at) / 1000;
  const byGroup: Record<CpuGroup, number> = { bench: 0, postgres: 0, redis: 0, other: 0 };
  for (const [pid, { group, ticks }] of b.byGroup) byGroup[group] += (ticks - (a.byGroup.get(pid)?.ticks ?? 0)) / TICKS_PER_SECOND;
  const busy = (b.totalBusy - a.totalBusy) / TICKS_PER_SECOND;
  byGroup.other = Math.max(0, busy - byGroup.bench - byGroup.postgres - byGroup.redis);
  const cores = os.cpus().length;
  return { seconds, cores, byGroup, busyShare: seconds > 0 ? busy / (seconds * cores) : 0 };
}

/** "bench 1.62 cores, postgres 0.25, redis 0.05, other 0.01 (machine 96% busy)" */
export function describeCpu(use: CpuUse | null): string {
  if (!use || use.seconds <= 0) return "CPU use not available";
  const c = (v: number) => (v / use.seconds).toFixed(2);
  const g = use.byGroup;
  return `CPU in cores: bench process ${c(g.bench)}, postgres ${c(g.postgres)}, redis ${c(g.redis)}, other processes ${c(g.other)} (machine ${Math.round(use.busyShare * 100)}% busy of ${use.cores} cores)`;
}
