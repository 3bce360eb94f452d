import { pino, type Logger as PinoLogger } from "pino";

type Level = "debug" | "info" | "warn" | "error" | "silent";

/**
 * Structured JSON logs (pino), one object per line: `{level, time, msg, ...fields}`. Requests carry
 * `reqId`, jobs `jobId`. Never pass secrets or customer text as fields; errors go in `error`.
 */
export type Logger = {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
};

/**
 * An error as logged: its kind and message, never a failed query's SQL parameters (they hold
 * customer text and ids), and the cause's message when there is one.
 */
export function serializeError(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const out: Record<string, unknown> = { type: value.name, message: withoutQueryParams(value.message) };
  const code = (value as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") out.code = code;
  const cause = (value as { cause?: unknown }).cause;
  if (cause instanceof Error) out.cause = withoutQueryParams(cause.message);
  return out;
}

/** Drizzle's "Failed query: <sql>\nparams: <values>" keeps the statement, drops the values. */
function withoutQueryParams(message: string): string {
  const i = message.indexOf("\nparams:");
  return i >= 0 ? message.slice(0, i) : message;
}

function wrap(p: PinoLogger): Logger {
  const at = (lvl: "debug" | "info" | "warn" | "error") => (msg: string, fields?: Record<string, unknown>) => {
    if (fields) p[lvl](fields, msg);
    else p[lvl](msg);
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error"), child: (fields) => wrap(p.child(fields)) };
}

/**
 * A child logger made on its first use: every request carries one, few ever log (pino serializes a
 * child's fields when it is made).
 */
export function childOnUse(log: Logger, fields: Record<string, unknown>): Logger {
  let made: Logger | undefined;
  const child = () => (made ??= log.child(fields));
  return {
    debug: (msg, f) => child().debug(msg, f),
    info: (msg, f) => child().info(msg, f),
    warn: (msg, f) => child().warn(msg, f),
    error: (msg, f) => child().error(msg, f),
    child: (f) => child().child(f),
  };
}

export function createLogger(level: Level, base: Record<string, unknown> = {}, destination?: NodeJS.WritableStream): Logger {
  const root = pino(
    {
      level,
      base: { pid: process.pid, ...base },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { error: serializeError, err: serializeError },
    },
    destination ?? pino.destination({ fd: 1, sync: true }),
  );
  return wrap(root);
}
