import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Availability } from "../../shared/schemas/common.js";
import type { User } from "../../shared/schemas/auth.js";
import type { Ctx } from "../context.js";
import { userPresence, users } from "../db/schema.js";
import { rooms } from "../infra/realtime.js";
import { requeueFrom } from "./assignment.js";
import { NotFound } from "./scope.js";
import { inTransaction } from "./transaction.js";
import { serializeUser, userColumns } from "./users.js";

/**
 * Availability: online (gets new conversations), away (keeps theirs, gets no new ones), offline (their
 * open conversations go back to their teams' queues, unless a team keeps them). People choose it;
 * presence only turns an online person away after PRESENCE_AWAY_AFTER_S with no console open, and back
 * online when a console opens again.
 */
export async function setAvailability(
  ctx: Ctx,
  workspaceId: string,
  userId: string,
  availability: Availability,
  by: "person" | "presence",
  only?: { from: Availability },
): Promise<User | null> {
  const now = ctx.clock.now();
  const result = await inTransaction(ctx, async (tx, events) => {
    const [before] = await tx
      .select({ availability: users.availability })
      .from(users)
      .where(and(eq(users.id, userId), eq(users.workspaceId, workspaceId)))
      .for("no key update");
    if (!before) throw new NotFound("user not found");
    // Presence acts only on the state it expects (another process may have changed it meanwhile).
    if (only && before.availability !== only.from) return null;
    const [user] = await tx.update(users).set({ availability }).where(eq(users.id, userId)).returning(userColumns);
    const autoAway = by === "presence" && availability === "away";
    await tx
      .insert(userPresence)
      .values({ userId, seenAt: now, autoAway })
      .onConflictDoUpdate({ target: userPresence.userId, set: { seenAt: now, autoAway } });
    if (before.availability !== availability) {
      events.push({ type: "user.updated", workspaceId, userId });
      if (availability === "online") events.push({ type: "assignment.check", workspaceId, teamId: null, userId });
    }
    return { user: user!, was: before.availability };
  });
  if (!result) return null;
  if (availability === "offline" && result.was !== "offline") await requeueFrom(ctx, workspaceId, userId, "agent_offline");
  ctx.log.info("availability changed", { user: userId, availability, by });
  return serializeUser(result.user);
}

/** A console of the user opened: they are present; if presence had made them away, they are back online. */
export async function consoleOpened(ctx: Ctx, workspaceId: string, userId: string): Promise<void> {
  const now = ctx.clock.now();
  const [p] = await ctx.db
    .insert(userPresence)
    .values({ userId, seenAt: now })
    .onConflictDoUpdate({ target: userPresence.userId, set: { seenAt: now } })
    .returning({ autoAway: userPresence.autoAway });
  if (p?.autoAway) await setAvailability(ctx, workspaceId, userId, "online", "presence", { from: "away" });
}

/** A console closed: the away countdown starts now (if it was the last one anywhere). */
export async function consoleClosed(ctx: Ctx, userId: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.insert(userPresence).values({ userId, seenAt: now }).onConflictDoUpdate({ target: userPresence.userId, set: { seenAt: now } });
}

/**
 * Turns away every online person not seen for PRESENCE_AWAY_AFTER_S who has no console open on any
 * server (asked through the Socket.IO adapter); someone found with one open is seen now. Runs in
 * server processes, which can count sockets; returns how many were made away.
 */
export async function sweepPresence(ctx: Ctx): Promise<number> {
  const now = ctx.clock.now();
  const cutoff = new Date(now.getTime() - ctx.config.PRESENCE_AWAY_AFTER_S * 1000);
  const quiet = await ctx.db
    .select({ id: users.id, workspaceId: users.workspaceId })
    .from(users)
    .leftJoin(userPresence, eq(userPresence.userId, users.id))
    .where(and(eq(users.availability, "online"), isNull(users.deactivatedAt), or(isNull(userPresence.seenAt), lt(userPresence.seenAt, cutoff))))
    .limit(1000);
  let away = 0;
  for (const u of quiet) {
    const sockets = await ctx.realtime.socketsIn(rooms.user(u.id));
    if (sockets === null) return away;
    if (sockets > 0) {
      await ctx.db.insert(userPresence).values({ userId: u.id, seenAt: now }).onConflictDoUpdate({ target: userPresence.userId, set: { seenAt: now } });
    } else if (await setAvailability(ctx, u.workspaceId, u.id, "away", "presence", { from: "online" })) {
      away++;
    }
  }
  return away;
}

/** Checks presence every SWEEP_INTERVAL_MS in a server process; the returned stop waits for a check in progress. */
export function startPresenceSweeper(ctx: Ctx): () => Promise<void> {
  let current: Promise<void> | null = null;
  const tick = () => {
    current ??= sweepPresence(ctx)
      .then(() => undefined)
      .catch((err) => ctx.log.warn("presence check failed", { error: err }))
      .finally(() => {
        current = null;
      });
  };
  const timer = setInterval(tick, ctx.config.SWEEP_INTERVAL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await current;
  };
}
