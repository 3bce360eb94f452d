import { z } from "zod";

/** One dependency as this process sees it right now. */
export const DependencyCheck = z.object({
  ok: z.boolean(),
  /** How long the probe took. */
  latencyMs: z.number().nonnegative(),
  /** Why it failed, in a few words (never credentials). */
  error: z.string().optional(),
});

/** GET /api/health: 200 while every dependency answers, 503 (same body) when one does not. */
export const HealthResponse = z.object({
  status: z.enum(["ok", "unavailable"]),
  mode: z.enum(["embedded", "scaled"]),
  checks: z.object({
    database: DependencyCheck,
    /** Scaled mode only. */
    redis: DependencyCheck.optional(),
    queues: DependencyCheck.extend({
      /** Jobs waiting in each queue. */
      waiting: z.record(z.string(), z.number().int().nonnegative()).optional(),
    }),
  }),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
