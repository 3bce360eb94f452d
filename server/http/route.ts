import type { NextFunction, Request, Response, Router } from "express";
import { z } from "zod";
import type { Role } from "../../shared/schemas/common.js";
import type { Ctx } from "../context.js";
import { BadRequest, Conflict, NotFound, UpstreamError, type Scope } from "../domain/scope.js";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** One endpoint: its schemas are both the validation and the OpenAPI document. */
export type RouteSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> = {
  method: HttpMethod;
  path: string;
  summary: string;
  tag: string;
  /** Roles allowed; "public" needs no session. */
  access: readonly Role[] | "public";
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  status?: number;
  handler: (input: {
    params: z.infer<P>;
    query: z.infer<Q>;
    body: z.infer<B>;
    scope: Scope;
    req: Request;
    res: Response;
  }) => Promise<z.infer<R>>;
};

export const everyone = ["admin", "supervisor", "agent"] as const;
export const managers = ["admin", "supervisor"] as const;
export const admins = ["admin"] as const;

type AnyRoute = RouteSpec<z.ZodType, z.ZodType, z.ZodType, z.ZodType>;

export class ValidationFailed extends Error {
  constructor(
    readonly where: string,
    readonly error: z.ZodError,
  ) {
    super(`invalid ${where}`);
  }
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.infer<T> {
  if (!schema) return {} as z.infer<T>;
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw new ValidationFailed(where, result.error);
  return result.data;
}

export type RouteTable = { routes: AnyRoute[]; add<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(spec: RouteSpec<P, Q, B, R>): void };

export function routeTable(): RouteTable {
  const routes: AnyRoute[] = [];
  return {
    routes,
    add(spec) {
      routes.push(spec as unknown as AnyRoute);
    },
  };
}

/** Mounts the table on an Express router: access check, validation, handler, and (in tests) response check. */
export function mountRoutes(ctx: Ctx, router: Router, table: RouteTable, checkResponses: boolean) {
  for (const spec of table.routes) {
    router[spec.method](spec.path, async (req: Request, res: Response, next: NextFunction) => {
      try {
        const scope = req.scope;
        if (spec.access !== "public") {
          if (!scope) throw new HttpError(401, "log in first");
          if (!spec.access.includes(scope.role)) throw new HttpError(403, `this needs the role ${spec.access.join(" or ")}`);
        }
        const params = parse(spec.params, req.params, "path");
        const query = parse(spec.query, req.query, "query");
        const body = parse(spec.body, req.body, "body");
        const result = await spec.handler({ params, query, body, scope: scope!, req, res });
        if (checkResponses) {
          const check = spec.response.safeParse(result);
          if (!check.success) {
            ctx.log.error("response does not match its schema", { route: `${spec.method} ${spec.path}`, issues: JSON.stringify(check.error.issues) });
            throw new Error("response does not match its schema");
          }
        }
        res.status(spec.status ?? 200).json(result);
      } catch (err) {
        next(err);
      }
    });
  }
}

/** Turns thrown errors into `{error, issues?}` answers; unknown errors are logged and answer 500. */
export function errorHandler(ctx: Ctx) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ValidationFailed) {
      return res.status(400).json({
        error: `invalid ${err.where}: ${err.error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`).join("; ")}`,
        issues: err.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      });
    }
    if (err instanceof HttpError) {
      for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
      return res.status(err.status).json({ error: err.message });
    }
    if (err instanceof NotFound) return res.status(404).json({ error: err.message });
    if (err instanceof BadRequest) return res.status(400).json({ error: err.message });
    if (err instanceof Conflict) return res.status(409).json({ error: err.message });
    if (err instanceof UpstreamError) return res.status(502).json({ error: err.message });
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === "entity.parse.failed") return res.status(400).json({ error: "body is not valid JSON" });
    if (e.type === "entity.too.large") return res.status(413).json({ error: "body is too large" });
    // Some webhook URLs carry a secret (Trustpilot's token): never log a path's last segment there.
    const path = req.originalUrl.split("?")[0]!.replace(/^(\/webhooks\/trustpilot\/[^/]+\/).*/, "$1[redacted]");
    ctx.log.error("request failed", { method: req.method, path, error: err });
    return res.status(500).json({ error: "internal error" });
  };
}
