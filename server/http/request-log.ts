import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
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

/**
 * Gives each request an id (echoed in `X-Request-Id`) and a child logger, and logs its outcome:
 * server errors at error level, the rest at debug, so a busy webhook path does not flood the logs.
 */
export function requestLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const given = req.header("x-request-id");
    req.id = given && SANE_ID.test(given) ? given : randomUUID();
    req.log = childOnUse(log, { reqId: req.id });
    res.setHeader("x-request-id", req.id);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // On the process logger with the id as a field: the same line, without making the child.
      const fields = { reqId: req.id, method: req.method, path: redactPath(req.originalUrl), status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (res.statusCode >= 500) log.error("request answered", fields);
      else log.debug("request answered", fields);
    });
    next();
  };
}

/** Some webhook URLs carry a secret (Trustpilot's and Google's tokens) and queries may carry anything: never log them. */
export function redactPath(url: string): string {
  return url.split("?")[0]!.replace(/^(\/webhooks\/(?:trustpilot|google)\/[^/]+\/).*/, "$1[redacted]");
}
