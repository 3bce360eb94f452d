import { Redis } from "ioredis";
import pg from "pg";

/**
 * Counts what this process sends over the wire, from the moment this module is imported: every
 * statement any pg client sends (Parley's pool and the bench's own clients), the commits among them,
 * and every Redis command any ioredis client sends (BullMQ, the Socket.IO adapter, rate limits; a
 * pipeline's commands one by one). Import it before Parley's modules. These counts do not depend on
 * how busy the machine is, so they compare commits fairly on a shared machine.
 */
export const wire = {
  statements: 0,
  commits: 0,
  redisCommands: 0,
  /** Called with each statement's text, e.g. to list them (BENCH_DETAIL). */
  onStatement: null as ((text: string) => void) | null,
};

const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  wire.statements++;
  const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string })?.text;
  if (text && /^\s*commit\b/i.test(text)) wire.commits++;
  if (text && wire.onStatement) wire.onStatement(text);
  return query.apply(this, args);
} as typeof pg.Client.prototype.query;

const sendCommand = Redis.prototype.sendCommand as (...args: unknown[]) => unknown;
Redis.prototype.sendCommand = function (this: Redis, ...args: unknown[]) {
  wire.redisCommands++;
  return sendCommand.apply(this, args);
} as typeof Redis.prototype.sendCommand;
