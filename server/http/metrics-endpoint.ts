import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { NextFunction, Request, Response } from "express";
import type { Config } from "../config.js";
import { registry } from "../infra/metrics.js";
import type { Logger } from "../logger.js";

const digest = (s: string) => createHash("sha256").update(s).digest();
const bearerMatches = (header: string | undefined, token: string) => {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return Boolean(m) && timingSafeEqual(digest(m![1]!), digest(token));
};

/**
 * GET /metrics on the main port: served only when METRICS_TOKEN is set, and only with
 * `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise); 404 when unset, so nothing leaks by default.
 */
export function metricsRoute(config: Config) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (!config.METRICS_TOKEN) return next();
    if (!bearerMatches(req.headers.authorization, config.METRICS_TOKEN)) {
      res.setHeader("www-authenticate", 'Bearer realm="metrics"');
      return res.status(401).json({ error: "metrics need Authorization: Bearer <METRICS_TOKEN>", code: "unauthenticated" });
    }
    res.setHeader("content-type", registry.contentType);
    res.end(await registry.metrics());
  };
}

/**
 * METRICS_PORT: a listener serving only GET /metrics, in every process (workers have no other
 * port). Keep it off the public network; METRICS_TOKEN, when set, is required here too.
 */
export async function startMetricsServer(config: Config, log: Logger): Promise<{ port: number; close(): Promise<void> } | null> {
  if (config.METRICS_PORT === undefined) return null;
  const server: Server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    if (config.METRICS_TOKEN && !bearerMatches(req.headers.authorization, config.METRICS_TOKEN)) {
      res.writeHead(401, { "www-authenticate": 'Bearer realm="metrics"' }).end();
      return;
    }
    registry
      .metrics()
      .then((text) => res.writeHead(200, { "content-type": registry.contentType }).end(text))
      .catch((err) => {
        log.warn("metrics failed", { error: err });
        res.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.METRICS_PORT, config.METRICS_HOST ?? config.HOST, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  log.info("metrics served", { port });
  return { port, close: () => new Promise<void>((r) => server.close(() => r())) };
}
