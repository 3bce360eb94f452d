import { Redis } from "ioredis";
import type { RedisOptions } from "./redis-connection.js";

/**
 * Fixed-window counter. `hit` counts one event; `blockedFor` tells how many seconds to wait while
 * the count has reached the limit, else 0.
 */
export type RateLimiter = {
  hit(key: string, windowSeconds: number): Promise<void>;
  blockedFor(key: string, limit: number): Promise<number>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
};

export function memoryRateLimiter(): RateLimiter {
  const windows = new Map<string, { count: number; until: number }>();
  return {
    async hit(key, windowSeconds) {
      const now = Date.now();
      let w = windows.get(key);
      if (!w || w.until <= now) {
        w = { count: 0, until: now + windowSeconds * 1000 };
        windows.set(key, w);
      }
      w.count++;
    },
    async blockedFor(key, limit) {
      const w = windows.get(key);
      const now = Date.now();
      return w && w.until > now && w.count >= limit ? Math.ceil((w.until - now) / 1000) : 0;
    },
    async reset(key) {
      windows.delete(key);
    },
    async close() {},
  };
}

export function redisRateLimiter(connection: RedisOptions, prefix: string): RateLimiter {
  const redis = new Redis({ ...connection, maxRetriesPerRequest: 2 });
  redis.on("error", () => {});
  const k = (key: string) => `${prefix}:ratelimit:${key}`;
  return {
    async hit(key, windowSeconds) {
      const [, [, ttl]] = (await redis.multi().incr(k(key)).pttl(k(key)).exec()) as [[null, number], [null, number]];
      if (ttl < 0) await redis.pexpire(k(key), windowSeconds * 1000);
    },
    async blockedFor(key, limit) {
      const [[, count], [, ttl]] = (await redis.multi().get(k(key)).pttl(k(key)).exec()) as [[null, string | null], [null, number]];
      return Number(count ?? 0) >= limit ? Math.ceil(Math.max(ttl, 1000) / 1000) : 0;
    },
    async reset(key) {
      await redis.del(k(key));
    },
    async close() {
      redis.disconnect();
    },
  };
}
