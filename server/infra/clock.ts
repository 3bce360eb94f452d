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

export function controllableClock(start?: Date): ControllableClock {
  let offset = start ? start.getTime() - Date.now() : 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance(ms) {
      if (ms < 0) throw new Error("the clock only moves forward");
      offset += ms;
    },
    set(at) {
      const next = at.getTime() - Date.now();
      if (next < offset) throw new Error("the clock only moves forward");
      offset = next;
    },
  };
}
