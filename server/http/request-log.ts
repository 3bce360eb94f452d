import { randomUUID } from "node:crypto";
import type { Request, Response } from "express";
import { childOnUse, type Logger } from "../logger.js";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** This request's id: the caller's `X-Request-Id` when it is a sane token, else a new one. */
      id: string;
      /** The process logger with `reqId`. */
      log: Logger;
    }
  }
}

const SANE_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** When the request arrived, kept on its response so one "finish" listener serves every request. */
const STARTED = Symbol("request started");
type Timed = Response & { [STARTED]?: number };
/** When requestLog saw this response's request (performance.now()). */
export const startedAt = (res: Response) => (res as Timed)[STARTED] ?? 0;

/**
 * Gives each request an id (echoed in `X-Request-Id`) and a child logger, and logs its outcome:
 * server errors at error level, the rest at debug, so a busy webhook path does not flood the logs.
 * Every webhook passes here: the answer's line is only built when its level is written.
 */
export function requestLog(log: Logger): (req: Request, res: Response) => void {
  // A "finish" listener: `this` is the response.
  function answered(this: Timed) {
    const level = this.statusCode >= 500 ? "error" : "debug";
    if (!log.enabled(level)) return;
    const { req } = this;
    const ms = performance.now() - startedAt(this);
    // On the process logger with the id as a field: the same line, without making the child.
    log[level]("request answered", { reqId: req.id, method: req.method, path: redactPath(req.originalUrl), status: this.statusCode, ms: Math.round(ms * 10) / 10 });
  }
  return (req: Request, res: Response) => {
    const given = req.headers["x-request-id"];
    req.id = typeof given === "string" && SANE_ID.test(given) ? given : randomUUID();
    req.log = childOnUse(log, { reqId: req.id });
    res.setHeader("x-request-id", req.id);
    (res as Timed)[STARTED] = performance.now();
    res.on("finish", answered);
  };
}

/** Some webhook URLs carry a secret (Trustpilot's and Google's tokens) and queries may carry anything: never log them. */
export function redactPath(url: string): string {
  return url.split("?")[0]!.replace(/^(\/webhooks\/(?:trustpilot|google)\/[^/]+\/).*/, "$1[redacted]");
}
