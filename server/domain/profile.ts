import { and, eq, ne } from "drizzle-orm";
import type { z } from "zod";
import type { UpdateMeRequest, User } from "../../shared/schemas/auth.js";
import type { Ctx } from "../context.js";
import type { Executor } from "../db/client.js";
import { sessions, users } from "../db/schema.js";
import { hashPassword, verifyPassword } from "../auth/passwords.js";
import { rooms } from "../infra/realtime.js";
import { BadRequest, NotFound, type Scope } from "./scope.js";
import { serializeUser, userColumns } from "./users.js";
import { HttpError } from "../http/route.js";

/**
 * Deletes a user's sessions (all, or all but the one given) inside the caller's transaction and
 * returns their hashes, so the sockets can be closed after the commit with `cutSockets`.
 */
export async function removeSessions(tx: Executor, userId: string, exceptHash?: string): Promise<string[]> {
  const where = exceptHash ? and(eq(sessions.userId, userId), ne(sessions.tokenHash, exceptHash)) : eq(sessions.userId, userId);
  const rows = await tx.delete(sessions).where(where).returning({ hash: sessions.tokenHash });
  return rows.map((r) => r.hash);
}

/**
 * Closes live connections at once, on every server process (the Redis adapter carries it): all of a
 * user's sockets, or only those of the given sessions.
 */
export function cutSockets(ctx: Pick<Ctx, "realtime">, target: { userId: string } | { sessions: string[] }) {
  if ("userId" in target) ctx.realtime.disconnect(rooms.user(target.userId));
  else for (const hash of target.sessions) ctx.realtime.disconnect(rooms.session(hash));
}

/** Ends every session of a user and closes their sockets (a reset link used, an admin's change). */
export async function endSessions(ctx: Ctx, userId: string): Promise<void> {
  await removeSessions(ctx.db, userId);
  cutSockets(ctx, { userId });
}

/**
 * The user's own profile change. A new password needs the current one (tries are rate-limited like
 * logins, so a stolen session cannot guess it) and ends every other session of the user.
 */
export async function updateMe(ctx: Ctx, scope: Scope, sessionHash: string, input: z.infer<typeof UpdateMeRequest>): Promise<User> {
  const patch: Partial<typeof users.$inferInsert> = {};
  if (input.name) patch.name = input.name;
  if (input.newPassword) {
    const key = `password:user:${scope.userId}`;
    const rule = { limit: ctx.config.LOGIN_MAX_ATTEMPTS, windowSeconds: ctx.config.LOGIN_WINDOW_SECONDS };
    // Every try is counted before the check (parallel guesses too); a right one is given back.
    const wait = await ctx.limiter.consume(key, rule);
    if (wait > 0) throw new HttpError(429, `too many wrong passwords; try again in ${wait} s`, { headers: { "retry-after": String(wait) } });
    const [me] = await ctx.db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, scope.userId));
    if (!me || !(await verifyPassword(me.passwordHash, input.currentPassword ?? ""))) {
      throw new BadRequest("currentPassword: the current password is not right", "wrong_password");
    }
    await ctx.limiter.reset(key, rule);
    patch.passwordHash = await hashPassword(input.newPassword);
  }
  const { user, ended } = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set(patch)
      .where(and(eq(users.id, scope.userId), eq(users.workspaceId, scope.workspaceId)))
      .returning(userColumns);
    if (!row) throw new NotFound("user not found");
    return { user: row, ended: input.newPassword ? await removeSessions(tx, scope.userId, sessionHash) : [] };
  });
  cutSockets(ctx, { sessions: ended });
  const serialized = serializeUser(user);
  if (patch.name) ctx.realtime.emit(rooms.workspace(scope.workspaceId), "user.updated", { user: serialized });
  return serialized;
}
