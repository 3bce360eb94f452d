import { and, eq, gt, isNull, lt } from "drizzle-orm";
import type { NextFunction, Request, Response } from "express";
import type { User } from "../../shared/schemas/auth.js";
import type { Ctx } from "../context.js";
import type { Db } from "../db/client.js";
import { sessions, users } from "../db/schema.js";
import { randomToken, sha256 } from "../domain/crypto.js";
import type { Scope } from "../domain/scope.js";
import { serializeUser, userColumns } from "../domain/users.js";

export const SESSION_COOKIE = "parley_session";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      scope?: Scope;
      user?: User;
      sessionHash?: string;
    }
  }
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    if (k && !(k in out)) {
      try {
        out[k] = decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        // a malformed cookie is ignored, like a missing one
      }
    }
  }
  return out;
}

export async function createSession(ctx: Ctx, userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken(32);
  const expiresAt = new Date(Date.now() + ctx.config.SESSION_TTL_HOURS * 3600_000);
  await ctx.db.insert(sessions).values({ tokenHash: sha256(token), userId, expiresAt });
  // Expired sessions are removed as new ones are made; cheap with the primary key.
  await ctx.db.delete(sessions).where(and(eq(sessions.userId, userId), lt(sessions.expiresAt, new Date())));
  return { token, expiresAt };
}

/**
 * `Secure` when Parley's public address is https, or when this request reached a TLS-terminating
 * proxy: `req.secure` reads X-Forwarded-Proto only when TRUST_PROXY is set, so a client cannot
 * fake it on a direct connection.
 */
const secureFlag = (ctx: Ctx, req: Request) => (ctx.config.publicUrl.startsWith("https://") || req.secure ? "; Secure" : "");

export function sessionCookie(ctx: Ctx, req: Request, token: string, expiresAt: Date): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Expires=${expiresAt.toUTCString()}${secureFlag(ctx, req)}`;
}

export const clearedCookie = (ctx: Ctx, req: Request) => `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secureFlag(ctx, req)}`;

export async function resolveSession(db: Db, token: string | undefined): Promise<{ scope: Scope; user: User; hash: string } | null> {
  if (!token || token.length > 100) return null;
  const hash = sha256(token);
  const [row] = await db
    .select({ ...userColumns, workspaceId: users.workspaceId })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hash), gt(sessions.expiresAt, new Date()), isNull(users.deactivatedAt)));
  if (!row) return null;
  return {
    scope: { workspaceId: row.workspaceId, userId: row.id, role: row.role },
    user: serializeUser(row),
    hash,
  };
}

/** Attaches the caller's scope when the session cookie is valid; routes decide whether they need it. */
export function sessionMiddleware(ctx: Ctx) {
  return async (req: Request, _res: Response, next: NextFunction) => {
    try {
      const found = await resolveSession(ctx.db, parseCookies(req.headers.cookie)[SESSION_COOKIE]);
      if (found) {
        req.scope = found.scope;
        req.user = found.user;
        req.sessionHash = found.hash;
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

/**
 * Cookie-authenticated mutations must come from our own pages: browsers mark cross-site requests
 * with Sec-Fetch-Site and Origin, which a page on another site cannot forge.
 */
export function crossSiteGuard(ctx: Ctx) {
  const allowed = new URL(ctx.config.publicUrl).origin;
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const site = req.headers["sec-fetch-site"];
    if (site === "cross-site" || site === "same-site") {
      return res.status(403).json({ error: "cross-site request refused", code: "cross_site" });
    }
    const origin = req.headers.origin;
    if (origin && origin !== "null") {
      const own = `${req.protocol}://${req.headers.host}`;
      if (origin !== own && origin !== allowed) return res.status(403).json({ error: "cross-site request refused", code: "cross_site" });
    } else if (origin === "null") {
      return res.status(403).json({ error: "cross-site request refused", code: "cross_site" });
    }
    next();
  };
}
