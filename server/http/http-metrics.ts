import type { Request, Response } from "express";
import { metrics } from "../infra/metrics.js";

const webhookPlatforms = new Set(["api", "meta", "x", "telegram", "google", "trustpilot"]);

/** The matched route's pattern (never the concrete path: ids and secret tokens stay out of labels). */
function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path === "string") return req.baseUrl + path;
  if (Array.isArray(path)) return req.baseUrl + String(path[0]);
  return path ? "(pattern)" : "unmatched";
}

/** The platform segment of a /webhooks/<platform>/… URL, null for any other URL. */
function webhookPlatformOf(url: string): string | null {
  if (!url.startsWith("/webhooks")) return null;
  const rest = url.length === 9 ? "" : url[9] === "/" || url[9] === "?" ? url.slice(10) : null;
  if (rest === null) return null; // e.g. /webhooksX
  const end = rest.search(/[/?]/);
  const platform = end < 0 ? rest : rest.slice(0, end);
  return webhookPlatforms.has(platform) ? platform : "other";
}

/** When the request arrived, on its response: one listener shared by every request, not a closure each. */
const STARTED = Symbol("metrics started");
type Timed = Response & { [STARTED]?: number };

// A "finish" listener: `this` is the response.
function answered(this: Timed) {
  const { req } = this;
  const status = String(this.statusCode);
  metrics.httpDuration.observe({ method: req.method, route: routeOf(req), status }, (performance.now() - (this[STARTED] ?? 0)) / 1000);
  const platform = webhookPlatformOf(req.originalUrl);
  if (platform) metrics.webhookRequests.inc({ platform, status });
}

/** HTTP latency histogram for every answer, and webhook answers by platform and status. */
export function httpMetrics(): (req: Request, res: Response) => void {
  return (_req, res) => {
    (res as Timed)[STARTED] = performance.now();
    res.on("finish", answered);
  };
}
