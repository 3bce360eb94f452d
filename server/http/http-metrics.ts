import type { NextFunction, Request, Response } from "express";
import { metrics } from "../infra/metrics.js";

const webhookPlatforms = new Set(["api", "meta", "x", "telegram", "google", "trustpilot"]);

/** The matched route's pattern (never the concrete path: ids and secret tokens stay out of labels). */
function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path === "string") return req.baseUrl + path;
  if (Array.isArray(path)) return req.baseUrl + String(path[0]);
  return path ? "(pattern)" : "unmatched";
}

/** HTTP latency histogram for every answer, and webhook answers by platform and status. */
export function httpMetrics() {
  return (req: Request, res: Response, next: NextFunction) => {
    const end = metrics.httpDuration.startTimer();
    res.on("finish", () => {
      const status = String(res.statusCode);
      end({ method: req.method, route: routeOf(req), status });
      const [, first, platform] = req.originalUrl.split(/[/?]/);
      if (first === "webhooks") metrics.webhookRequests.inc({ platform: webhookPlatforms.has(platform ?? "") ? platform! : "other", status });
    });
    next();
  };
}
