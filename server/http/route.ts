import type { NextFunction, Request, Response, Router } from "express";
import { z } from "zod";
import type { Role } from "../../shared/schemas/common.js";
import type { ErrorCode } from "../../shared/schemas/errors.js";
import type { Ctx } from "../context.js";
import { BadRequest, Conflict, NotFound, UpstreamError, type Scope } from "../domain/scope.js";
import { redactPath } from "./request-log.js";
import { isConnectionError } from "../infra/db-errors.js";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

const codeOfStatus: Record<number, ErrorCode> = {
  400: "validation_failed",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "rate_limited",
  502: "upstream_error",
  503: "starting",
};

export class HttpError extends Error {
  readonly code: ErrorCode;
  constructor(
    readonly status: number,
    message: string,
    opts: { code?: ErrorCode; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.code = opts.code ?? codeOfStatus[status] ?? "internal";
    this.headers = opts.headers ?? {};
  }
  readonly headers: Record<string, string>;
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
  /** When the status depends on the answer (health: 503 while a dependency is down). */
  statusOf?: (result: z.infer<R>) => number;
  /** The handler writes the answer itself (a file's bytes), instead of returning JSON. */
  raw?: boolean;
  /** Other content types the handler may write itself (e.g. text/csv for format=csv); it answers JSON otherwise. */
  alsoProduces?: string[];
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
        if (spec.raw || res.headersSent) return;
        if (checkResponses) {
          const check = spec.response.safeParse(result);
          if (!check.success) {
            req.log.error("response does not match its schema", { route: `${spec.method} ${spec.path}`, issues: JSON.stringify(check.error.issues) });
            throw new Error("response does not match its schema");
          }
        }
        res.status(spec.statusOf ? spec.statusOf(result) : (spec.status ?? 200)).json(result);
      } catch (err) {
        next(err);
      }
    });
  }
}

/** Turns thrown errors into `{error, code, issues?}` answers; unknown errors are logged and answer 500. */
export function errorHandler(ctx: Ctx) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const answer = (status: number, code: ErrorCode, error: string, extra: object = {}) => res.status(status).json({ error, code, ...extra });
    if (err instanceof ValidationFailed) {
      return answer(400, "validation_failed", `invalid ${err.where}: ${err.error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`).join("; ")}`, {
        issues: err.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      });
    }
    if (err instanceof HttpError) {
      for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
      return answer(err.status, err.code, err.message);
    }
    if (err instanceof NotFound) return answer(404, err.code, err.message);
    if (err instanceof BadRequest) return answer(400, err.code, err.message);
    if (err instanceof Conflict) return answer(409, err.code, err.message);
    if (err instanceof UpstreamError) return answer(502, err.code, err.message);
    const e = err as { type?: string; status?: number; message?: string; expose?: boolean; code?: string };
    if (e.type === "entity.parse.failed") return answer(400, "invalid_json", "body is not valid JSON");
    if (e.type === "entity.too.large") return answer(413, "payload_too_large", "body is too large");
    if (e.type === "json.too.deep") return answer(400, "json_too_deep", e.message ?? "JSON nested too deeply");
    if (e.type === "json.nul") return answer(400, "nul_character", e.message ?? "NUL character in the body");
    if (e.type === "encoding.unsupported" || e.type === "charset.unsupported") return answer(415, "unsupported_media_type", e.message ?? "unsupported encoding");
    // Any other client error from the body reader (aborted, bad length, corrupt gzip) is the client's, not ours.
    if (typeof e.status === "number" && e.status >= 400 && e.status < 500 && e.expose) return answer(e.status, codeOfStatus[e.status] ?? "validation_failed", e.message ?? "bad request");
    if (e.code === "Z_DATA_ERROR" || e.code === "Z_BUF_ERROR") return answer(400, "validation_failed", "the compressed body is corrupt");
    // The database is away (restarting, unreachable): 503, which platforms and clients retry.
    if (isConnectionError(err)) {
      (req.log ?? ctx.log).warn("request failed: database unreachable", { method: req.method, path: redactPath(req.originalUrl) });
      return answer(503, "unavailable", "the database is unreachable; try again shortly", {});
    }
    (req.log ?? ctx.log).error("request failed", { method: req.method, path: redactPath(req.originalUrl), error: err });
    return answer(500, "internal", "internal error");
  };
}
