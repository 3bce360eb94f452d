import { HealthResponse } from "../../shared/schemas/health.js";
import type { Ctx } from "../context.js";
import type { Dependencies } from "../infra/dependencies.js";
import { HttpError, type RouteTable } from "./route.js";

/**
 * GET /api/health: public, cheap, for load balancers and container health checks. Each dependency
 * is probed live (database round trip, Redis ping, queue depths) with a short timeout; 503 with the
 * same body when one of them does not answer, so the failing one is named.
 */
export function healthRoutes(ctx: Ctx, t: RouteTable, opts: { ready: () => boolean; deps: Dependencies }) {
  t.add({
    method: "get",
    path: "/health",
    summary: "Readiness: 200 once started and while the database, Redis and the queues answer; 503 naming the one that does not",
    tag: "health",
    access: "public",
    response: HealthResponse,
    statusOf: (r) => (r.status === "ok" ? 200 : 503),
    async handler() {
      if (!opts.ready()) throw new HttpError(503, "starting");
      const [database, redis, queues] = await Promise.all([opts.deps.database(), opts.deps.redis(), opts.deps.queues()]);
      const ok = database.ok && (redis?.ok ?? true) && queues.ok;
      if (!ok) opts.deps.notice();
      return { status: ok ? ("ok" as const) : ("unavailable" as const), mode: ctx.config.mode, checks: { database, ...(redis ? { redis } : {}), queues } };
    },
  });
}
