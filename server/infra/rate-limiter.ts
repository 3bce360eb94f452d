import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Logger } from "../logger.js";
import type { RedisOptions } from "./redis-connection.js";

/** At most `limit` events per key in each `windowSeconds` window. */
export type LimitRule = { limit: number; windowSeconds: number };

/**
 * Counters for login attempts and per-channel send rates, done with rate-limiter-flexible: in Redis
 * (one atomic script per call, shared by every process) in scaled mode, in memory when embedded.
 */
export type RateLimiter = {
  /** Counts one event; 0 while within the limit, else the seconds until the key is free again. */
  consume(key: string, rule: LimitRule): Promise<number>;
  /** Seconds to wait while the key is at its limit (0 = free), without counting anything. */
  peek(key: string, rule: LimitRule): Promise<number>;
  /** Gives back one counted event (e.g. a login that turned out to be right). */
  refund(key: string, rule: LimitRule): Promise<void>;
  reset(key: string, rule: LimitRule): Promise<void>;
  close(): Promise<void>;
};

const secondsOf = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

function limiterSet(make: (rule: LimitRule, name: string) => RateLimiterAbstract): RateLimiter & { closeHook?: () => void } {
  const limiters = new Map<string, RateLimiterAbstract>();
  const get = (rule: LimitRule) => {
    const name = `${rule.limit}x${rule.windowSeconds}`;
    let l = limiters.get(name);
    if (!l) limiters.set(name, (l = make(rule, name)));
    return l;
  };
  return {
    async consume(key, rule) {
      try {
        await get(rule).consume(key, 1);
        return 0;
      } catch (err) {
        if (err instanceof RateLimiterRes) return secondsOf(err);
        throw err;
      }
    },
    async peek(key, rule) {
      const res = await get(rule).get(key);
      return res && res.consumedPoints >= rule.limit ? secondsOf(res) : 0;
    },
    async refund(key, rule) {
      await get(rule).reward(key, 1);
    },
    async reset(key, rule) {
      await get(rule).delete(key);
    },
    async close() {},
  };
}

export function memoryRateLimiter(): RateLimiter {
  return limiterSet((rule, name) => new RateLimiterMemory({ keyPrefix: name, points: rule.limit, duration: rule.windowSeconds }));
}

/**
 * Redis-backed. While Redis is unreachable each limiter falls back to an in-memory one (per process)
 * rather than failing logins and sends.
 */
export function redisRateLimiter(connection: RedisOptions, prefix: string, log?: Logger): RateLimiter {
  const redis = new Redis({ ...connection, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  let warned = false;
  redis.on("error", (err) => {
    if (!warned) log?.warn("rate limiter lost Redis; counting in memory until it is back", { error: err });
    warned = true;
  });
  redis.on("ready", () => {
    warned = false;
  });
  const set = limiterSet(
    (rule, name) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${prefix}:ratelimit:${name}`,
        points: rule.limit,
        duration: rule.windowSeconds,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points: rule.limit, duration: rule.windowSeconds }),
      }),
  );
  return {
    ...set,
    async close() {
      redis.disconnect();
    },
  };
}
