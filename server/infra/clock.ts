/**
 * Where "now" comes from for timers and deadlines (SLA, snooze, presence). Production uses the system
 * clock; tests use a controllable one to cross business hours, time zones or a daylight-saving change
 * without waiting. Code that schedules or compares deadlines reads `ctx.clock.now()`, not `new Date()`.
 */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

/** The system clock shifted by an offset that tests move forward (never backward). */
export type ControllableClock = Clock & {
  advance(ms: number): void;
  /** Jumps to a moment (must not be earlier than now). */
  set(at: Date): void;
};

/**
 * With `frozen`, time stands still between `advance`/`set` calls, so a test can state exact deadlines
 * (a deadline computed from "now" would otherwise carry the milliseconds the test took).
 */
export function controllableClock(start?: Date, opts: { frozen?: boolean } = {}): ControllableClock {
  let offset = start ? start.getTime() - Date.now() : 0;
  const base = opts.frozen ? Date.now() : null;
  return {
    now: () => new Date((base ?? Date.now()) + offset),
    advance(ms) {
      if (ms < 0) throw new Error("the clock only moves forward");
      offset += ms;
    },
    set(at) {
      const next = at.getTime() - (base ?? Date.now());
      if (next < offset) throw new Error("the clock only moves forward");
      offset = next;
    },
  };
}
