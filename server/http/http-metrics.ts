import type { Request, Response } from "express";
import { metrics } from "../infra/metrics.js";
import { startedAt } from "./request-log.js";

const webhookPlatforms = new Set(["api", "meta", "x", "telegram", "google", "trustpilot"]);

/** The matched route's pattern (never the concrete path: ids and secret tokens stay out of labels). */
function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path === "string") return req.baseUrl + path;
  if (Array.isArray(path)) return req.baseUrl + String(path[0]);
  return path ? "(pattern)" : "unmatched";
}

// A "finish" listener: `this` is the response. Timed from when requestLog (which runs first) saw it.
function answered(this: Response) {
  const { req } = this;
  const status = String(this.statusCode);
  metrics.httpDuration.observe({ method: req.method, route: routeOf(req), status }, (performance.now() - startedAt(this)) / 1000);
  const [, first, platform] = req.originalUrl.split(/[/?]/);
  if (first === "webhooks") metrics.webhookRequests.inc({ platform: webhookPlatforms.has(platform ?? "") ? platform! : "other", status });
}

/** HTTP latency histogram for every answer, and webhook answers by platform and status. */
export function httpMetrics(): (req: Request, res: Response) => void {
  return (_req, res) => {
    res.on("finish", answered);
  };
}
