import { and, asc, eq, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import type { Ctx } from "../context.js";
import { conversations, teamMembers, teams, users } from "../db/schema.js";
import { type Candidate, pickAssignee } from "./assignment-pick.js";
import { changeConversation } from "./conversation-commands.js";
import { teamIdsOf } from "./teams.js";
import { inTransaction } from "./transaction.js";

/** How many waiting conversations one pass looks at; a longer queue is served by the passes that follow. */
const BATCH = 100;

/**
 * Serves a team's queue: assigns its waiting conversations, nearest SLA deadline first then oldest
 * wait, to its online members by the team's policy, until nobody has room. Exactly once under
 * concurrency: the team row is locked for the whole pass (round robin's turn and the queue order are
 * the team's), then the members' user rows (their load counts across teams, so two teams' passes
 * serialise on a shared member), then each conversation, re-checked under its lock.
 */
export async function serveTeam(ctx: Ctx, workspaceId: string, teamId: string): Promise<number> {
  let total = 0;
  for (;;) {
    const assigned = await inTransaction(ctx, async (tx, events) => {
      const [team] = await tx.select().from(teams).where(and(eq(teams.id, teamId), eq(teams.workspaceId, workspaceId))).for("update");
      if (!team || team.assignmentPolicy === "manual") return 0;
      const policy = team.assignmentPolicy;
      const waiting = await tx
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(eq(conversations.teamId, teamId), isNotNull(conversations.queuedAt), isNull(conversations.assigneeId)))
        .orderBy(sql`${conversations.slaDueAt} asc nulls last`, asc(conversations.queuedAt), asc(conversations.id))
        .limit(BATCH);
      if (!waiting.length) return 0;

      const members = await tx
        .select({ id: users.id, lastAssignedSeq: teamMembers.lastAssignedSeq })
        .from(teamMembers)
        .innerJoin(users, eq(users.id, teamMembers.userId))
        .where(and(eq(teamMembers.teamId, teamId), eq(users.availability, "online"), isNull(users.deactivatedAt)))
        .orderBy(asc(users.id))
        .for("no key update", { of: users });
      if (!members.length) return 0;
      const loads = await tx
        .select({ id: conversations.assigneeId, n: sql<number>`count(*)::int` })
        .from(conversations)
        .where(and(eq(conversations.status, "open"), inArray(conversations.assigneeId, members.map((m) => m.id))))
        .groupBy(conversations.assigneeId);
      const candidates: Candidate[] = members.map((m) => ({ id: m.id, lastAssignedSeq: m.lastAssignedSeq, load: Number(loads.find((l) => l.id === m.id)?.n ?? 0) }));

      let seq = team.assignSeq;
      let n = 0;
      const now = ctx.clock.now();
      for (const { id } of waiting) {
        const pick = pickAssignee(policy, team.capacity, candidates);
        if (!pick) break;
        const [conv] = await tx
          .select()
          .from(conversations)
          .where(and(eq(conversations.id, id), eq(conversations.teamId, teamId), isNull(conversations.assigneeId), eq(conversations.owner, "human"), eq(conversations.status, "open")))
          .for("update");
        if (!conv) continue;
        await changeConversation(tx, events, conv, { assigneeId: pick.id, assignedBy: policy }, { kind: "system" }, now);
        seq += 1;
        pick.load += 1;
        pick.lastAssignedSeq = seq;
        await tx.update(teamMembers).set({ lastAssignedSeq: seq }).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, pick.id)));
        n++;
      }
      if (n) await tx.update(teams).set({ assignSeq: seq }).where(eq(teams.id, teamId));
      return n;
    });
    total += assigned;
    if (assigned < BATCH) return total;
  }
}

/** Serves the queue of the given team, or of every automatic team of the given user. */
export async function serveQueues(ctx: Ctx, e: { workspaceId: string; teamId: string | null; userId: string | null }): Promise<void> {
  const teamIds = e.teamId ? [e.teamId] : e.userId ? await teamIdsOf(ctx.db, e.userId) : [];
  for (const teamId of teamIds) {
    try {
      await serveTeam(ctx, e.workspaceId, teamId);
    } catch (err) {
      // Once more (a connection blip); the sweeper serves any queue left waiting.
      ctx.log.warn("assignment pass failed, retrying", { team: teamId, error: err });
      await serveTeam(ctx, e.workspaceId, teamId);
    }
  }
}

/**
 * Returns a person's open conversations to their teams' queues (teams that requeue; conversations of
 * "keep" teams, and those in no team, stay with them). Run after they went offline or were deactivated;
 * a conversation is moved only if they still hold it and are still unavailable, under its lock.
 */
export async function requeueFrom(ctx: Ctx, workspaceId: string, userId: string, by: "agent_offline" | "assignee_deactivated"): Promise<number> {
  const held = await ctx.db
    .select({ id: conversations.id })
    .from(conversations)
    .innerJoin(teams, and(eq(teams.id, conversations.teamId), eq(teams.whenOffline, "requeue")))
    .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.assigneeId, userId), eq(conversations.status, "open")))
    .orderBy(asc(conversations.id));
  if (!held.length) return 0;
  return inTransaction(ctx, async (tx, events) => {
    const [user] = await tx.select({ availability: users.availability, deactivatedAt: users.deactivatedAt }).from(users).where(eq(users.id, userId));
    if (!user || (user.availability !== "offline" && !user.deactivatedAt)) return 0;
    let n = 0;
    const now = ctx.clock.now();
    for (const { id } of held) {
      const [conv] = await tx
        .select()
        .from(conversations)
        .where(and(eq(conversations.id, id), eq(conversations.assigneeId, userId), eq(conversations.status, "open")))
        .for("update");
      if (!conv) continue;
      await changeConversation(tx, events, conv, { assigneeId: null, assignedBy: by }, { kind: "system" }, now);
      n++;
    }
    return n;
  });
}

/**
 * The durable path of assignment, for the sweeper: conversations still held by deactivated people go
 * back to their queues, and every automatic team with someone waiting and someone online is served
 * (a pass lost with a crashed process, or a queue that waited for the clock).
 */
export async function sweepAssignment(ctx: Ctx): Promise<{ requeued: number; assigned: number }> {
  const deactivated = await ctx.db
    .selectDistinct({ workspaceId: conversations.workspaceId, userId: users.id })
    .from(conversations)
    .innerJoin(users, eq(users.id, conversations.assigneeId))
    .where(and(eq(conversations.status, "open"), isNotNull(users.deactivatedAt)))
    .limit(500);
  let requeued = 0;
  for (const d of deactivated) requeued += await requeueFrom(ctx, d.workspaceId, d.userId, "assignee_deactivated");

  const queues = await ctx.db
    .selectDistinct({ workspaceId: teams.workspaceId, teamId: teams.id })
    .from(teams)
    .innerJoin(conversations, and(eq(conversations.teamId, teams.id), isNotNull(conversations.queuedAt), isNull(conversations.assigneeId)))
    .innerJoin(teamMembers, eq(teamMembers.teamId, teams.id))
    .innerJoin(users, and(eq(users.id, teamMembers.userId), eq(users.availability, "online"), isNull(users.deactivatedAt)))
    .where(ne(teams.assignmentPolicy, "manual"))
    .limit(500);
  let assigned = 0;
  for (const q of queues) assigned += await serveTeam(ctx, q.workspaceId, q.teamId);
  return { requeued, assigned };
}
