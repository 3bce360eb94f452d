import { and, eq, gt, isNull, ne } from "drizzle-orm";
import type { z } from "zod";
import type { TokenInfo } from "../../shared/schemas/auth.js";
import type { Ctx } from "../context.js";
import type { Executor } from "../db/client.js";
import { userTokens, users } from "../db/schema.js";
import { hashPassword } from "../auth/passwords.js";
import { randomToken, sha256 } from "./crypto.js";
import { endSessions } from "./profile.js";
import { NotFound } from "./scope.js";
import { inTransaction } from "./transaction.js";

const HOUR = 3600_000;
/** How long each kind of one-time link stays valid. */
export const tokenLifetime = { invite: 7 * 24 * HOUR, reset: 24 * HOUR } as const;
export type TokenPurpose = keyof typeof tokenLifetime;

/**
 * A password hash no password matches (not an argon2 string, so verification simply fails): the
 * state of an invited user until they set their own.
 */
export const NO_PASSWORD = "!unset";

/** The console page that reads the token and asks for the new password. */
export const linkFor = (ctx: Pick<Ctx, "config">, token: string) => `${ctx.config.publicUrl}/set-password?token=${encodeURIComponent(token)}`;

/**
 * Makes a one-time link for a user. Only its sha256 is stored; earlier unused links of the user are
 * withdrawn, so only the newest one works.
 */
export async function issueUserToken(
  ctx: Pick<Ctx, "config" | "clock">,
  tx: Executor,
  opts: { userId: string; workspaceId: string; purpose: TokenPurpose; createdBy: string },
): Promise<{ link: string; expiresAt: string }> {
  const token = randomToken(32);
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + tokenLifetime[opts.purpose]);
  await tx.update(userTokens).set({ usedAt: now }).where(and(eq(userTokens.userId, opts.userId), isNull(userTokens.usedAt)));
  await tx.insert(userTokens).values({ tokenHash: sha256(token), userId: opts.userId, workspaceId: opts.workspaceId, purpose: opts.purpose, createdBy: opts.createdBy, expiresAt });
  return { link: linkFor(ctx, token), expiresAt: expiresAt.toISOString() };
}

/** A link that still works: not used, not expired, for an active user. */
async function findValid(db: Executor, token: string, now: Date) {
  const [row] = await db
    .select({ token: userTokens, email: users.email, name: users.name })
    .from(userTokens)
    .innerJoin(users, eq(users.id, userTokens.userId))
    .where(and(eq(userTokens.tokenHash, sha256(token)), isNull(userTokens.usedAt), gt(userTokens.expiresAt, now), isNull(users.deactivatedAt)));
  return row;
}

const invalid = () => new NotFound("this link is invalid, was already used, or has expired", "invalid_token");

/** What the set-password page shows before the person chooses a password. */
export async function tokenInfo(ctx: Pick<Ctx, "db" | "clock">, token: string): Promise<z.infer<typeof TokenInfo>> {
  const row = await findValid(ctx.db, token, ctx.clock.now());
  if (!row) throw invalid();
  return { email: row.email, name: row.name, purpose: row.token.purpose, expiresAt: row.token.expiresAt.toISOString() };
}

/**
 * Uses a link: sets the password and spends the token in one transaction (a second use finds it
 * spent). Every existing session of the user ends, and their sockets close: a reset must lock out
 * whoever had the old password.
 */
export async function setPasswordWithToken(ctx: Ctx, token: string, password: string): Promise<{ userId: string }> {
  const passwordHash = await hashPassword(password);
  const userId = await inTransaction(ctx, async (tx) => {
    const now = ctx.clock.now();
    const [spent] = await tx
      .update(userTokens)
      .set({ usedAt: now })
      .where(and(eq(userTokens.tokenHash, sha256(token)), isNull(userTokens.usedAt), gt(userTokens.expiresAt, now)))
      .returning({ userId: userTokens.userId });
    if (!spent) throw invalid();
    const [user] = await tx
      .update(users)
      .set({ passwordHash })
      .where(and(eq(users.id, spent.userId), isNull(users.deactivatedAt)))
      .returning({ id: users.id });
    if (!user) throw invalid();
    // Any other outstanding link of this user is withdrawn too.
    await tx.update(userTokens).set({ usedAt: now }).where(and(eq(userTokens.userId, user.id), isNull(userTokens.usedAt), ne(userTokens.tokenHash, sha256(token))));
    return user.id;
  });
  await endSessions(ctx, userId);
  return { userId };
}
