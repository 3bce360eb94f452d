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
  /** Whether a line at this level would be written: lets a hot path skip building fields nobody reads. */
  enabled(level: "debug" | "info" | "warn" | "error"): boolean;
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
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    child: (fields) => wrap(p.child(fields)),
    enabled: (level) => p.isLevelEnabled(level),
  };
}

/**
 * A child logger made on its first use: every request carries one, few ever log (pino serializes a
 * child's fields when it is made).
 */
export function childOnUse(log: Logger, fields: Record<string, unknown>): Logger {
  return new LazyChild(log, fields);
}

/** One object per request rather than a closure per method (every request makes one). */
class LazyChild implements Logger {
  private made: Logger | undefined;
  constructor(
    private readonly log: Logger,
    private readonly fields: Record<string, unknown>,
  ) {}
  private get target(): Logger {
    return (this.made ??= this.log.child(this.fields));
  }
  debug(msg: string, f?: Record<string, unknown>) {
    this.target.debug(msg, f);
  }
  info(msg: string, f?: Record<string, unknown>) {
    this.target.info(msg, f);
  }
  warn(msg: string, f?: Record<string, unknown>) {
    this.target.warn(msg, f);
  }
  error(msg: string, f?: Record<string, unknown>) {
    this.target.error(msg, f);
  }
  child(f: Record<string, unknown>) {
    return this.target.child(f);
  }
  enabled(level: "debug" | "info" | "warn" | "error") {
    return this.log.enabled(level);
  }
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
