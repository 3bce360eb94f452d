import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

/**
 * BENCH_PROFILE=file.cpuprofile: a CPU profile of this process's main thread over one measured part
 * of a bench (read it with `npx tsx bench/profile-summary.ts file.cpuprofile`). Without the variable,
 * nothing is recorded. Returns the function that stops the profile and writes it.
 */
export async function startProfile(): Promise<() => Promise<void>> {
  const file = process.env.BENCH_PROFILE;
  if (!file) return async () => {};
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}
