import { eq, sql } from "drizzle-orm";
import { Empty } from "../../../shared/schemas/common.js";
import { LoginRequest, MeResponse, SetPasswordRequest, TokenInfo, TokenInfoQuery, UpdateMeRequest, UserResponse } from "../../../shared/schemas/auth.js";
import { clearedCookie, createSession, sessionCookie } from "../../auth/session.js";
import { dummyHash, verifyPassword } from "../../auth/passwords.js";
import type { Ctx } from "../../context.js";
import { sessions, users, workspaces } from "../../db/schema.js";
import { rooms } from "../../infra/realtime.js";
import { serializeUser, userColumns } from "../../domain/users.js";
import { NO_PASSWORD, setPasswordWithToken, tokenInfo } from "../../domain/invitations.js";
import { cutSockets, removeSessions, updateMe } from "../../domain/profile.js";
import { everyone, HttpError, type RouteTable } from "../route.js";
import type { Server } from "socket.io";

export function authRoutes(ctx: Ctx, t: RouteTable, io: () => Server | null) {
  t.add({
    method: "post",
    path: "/auth/login",
    summary: "Log in; sets the session cookie",
    tag: "auth",
    access: "public",
    body: LoginRequest,
    response: UserResponse,
    async handler({ body, req, res }) {
      const email = body.email.toLowerCase();
      // Every attempt is counted before the password is checked (atomically, so parallel guesses
      // cannot slip past), per (email, address) pair and per address. A wrong password from one
      // place therefore never locks the real user out from theirs; a right one gives the count back.
      const window = ctx.config.LOGIN_WINDOW_SECONDS;
      const pair = { key: `login:pair:${email}|${req.ip}`, rule: { limit: ctx.config.LOGIN_MAX_ATTEMPTS, windowSeconds: window } };
      const address = { key: `login:ip:${req.ip}`, rule: { limit: ctx.config.LOGIN_IP_MAX_ATTEMPTS, windowSeconds: window } };
      const wait = Math.max(await ctx.limiter.consume(pair.key, pair.rule), await ctx.limiter.consume(address.key, address.rule));
      if (wait > 0) {
        ctx.log.info("login refused: too many attempts", { ip: req.ip });
        throw new HttpError(429, `too many failed logins; try again in ${wait} s`, { headers: { "retry-after": String(wait) } });
      }
      const [user] = await ctx.db.select().from(users).where(eq(sql`lower(${users.email})`, email));
      // An unknown email, or an invitee who has not chosen a password yet, takes as long as a wrong password.
      const usable = user && user.passwordHash !== NO_PASSWORD;
      const ok = usable ? await verifyPassword(user.passwordHash, body.password) : (await verifyPassword(await dummyHash(), body.password), false);
      if (!user || !ok || user.deactivatedAt) {
        ctx.log.info("login failed", { email, ip: req.ip });
        throw new HttpError(401, "wrong email or password", { code: "login_failed" });
      }
      await ctx.limiter.reset(pair.key, pair.rule);
      await ctx.limiter.refund(address.key, address.rule);
      const { token, expiresAt } = await createSession(ctx, user.id);
      res.setHeader("set-cookie", sessionCookie(ctx, req, token, expiresAt));
      return { user: serializeUser(user) };
    },
  });

  t.add({
    method: "post",
    path: "/auth/logout",
    summary: "End the current session",
    tag: "auth",
    access: "public",
    response: Empty,
    async handler({ req, res }) {
      if (req.sessionHash) {
        await ctx.db.delete(sessions).where(eq(sessions.tokenHash, req.sessionHash));
        io()?.in(rooms.session(req.sessionHash)).disconnectSockets(true);
      }
      res.setHeader("set-cookie", clearedCookie(ctx, req));
      return {};
    },
  });

  t.add({
    method: "get",
    path: "/me",
    summary: "The logged-in user and workspace",
    tag: "auth",
    access: everyone,
    response: MeResponse,
    async handler({ req, scope }) {
      const [ws] = await ctx.db.select().from(workspaces).where(eq(workspaces.id, scope.workspaceId));
      return { user: req.user!, workspace: { id: ws!.id, name: ws!.name } };
    },
  });

  t.add({
    method: "patch",
    path: "/me",
    summary: "Change your own name or password (a new password needs the current one and ends your other sessions)",
    tag: "auth",
    access: everyone,
    body: UpdateMeRequest,
    response: MeResponse,
    async handler({ body, req, scope }) {
      const user = await updateMe(ctx, scope, req.sessionHash!, body);
      const [ws] = await ctx.db.select().from(workspaces).where(eq(workspaces.id, scope.workspaceId));
      return { user, workspace: { id: ws!.id, name: ws!.name } };
    },
  });

  t.add({
    method: "post",
    path: "/auth/logout-everywhere",
    summary: "End every session of the logged-in user, on every device, and close their live connections",
    tag: "auth",
    access: everyone,
    response: Empty,
    async handler({ scope, req, res }) {
      await removeSessions(ctx.db, scope.userId);
      cutSockets(ctx, { userId: scope.userId });
      res.setHeader("set-cookie", clearedCookie(ctx, req));
      return {};
    },
  });

  t.add({
    method: "get",
    path: "/auth/token-info",
    summary: "Who a one-time link (invitation or password reset) is for, while it is valid",
    tag: "auth",
    access: "public",
    query: TokenInfoQuery,
    response: TokenInfo,
    handler: ({ query }) => tokenInfo(ctx, query.token),
  });

  t.add({
    method: "post",
    path: "/auth/set-password",
    summary: "Set a password from a one-time link; ends the user's other sessions and logs them in",
    tag: "auth",
    access: "public",
    body: SetPasswordRequest,
    response: UserResponse,
    async handler({ body, req, res }) {
      const { userId } = await setPasswordWithToken(ctx, body.token, body.password);
      const [user] = await ctx.db.select(userColumns).from(users).where(eq(users.id, userId));
      const { token, expiresAt } = await createSession(ctx, userId);
      res.setHeader("set-cookie", sessionCookie(ctx, req, token, expiresAt));
      return { user: serializeUser(user!) };
    },
  });
}
