import { and, asc, eq, inArray, isNotNull, isNull, ne, sql } from "drizzle-orm";
import type { z } from "zod";
import type { BusinessHours, CreateTeamRequest, Team, UpdateTeamRequest } from "../../shared/schemas/teams.js";
import { enqueue, type Ctx } from "../context.js";
import type { Executor, Tx } from "../db/client.js";
import { channels, conversationEvents, conversations, teamChannels, teamMembers, teams, users } from "../db/schema.js";
import type { DomainEvent } from "../infra/event-bus.js";
import { rooms } from "../infra/realtime.js";
import { recordAudit } from "./audit.js";
import { isKnownTimeZone } from "./business-hours.js";
import { BadRequest, Conflict, NotFound, type Scope } from "./scope.js";
import { slaReapplyJob } from "./sla-reapply.job.js";
import { inTransaction } from "./transaction.js";

type TeamRow = typeof teams.$inferSelect;

/** The teams a user is a member of. */
export async function teamIdsOf(db: Executor, userId: string): Promise<string[]> {
  return (await db.select({ id: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, userId))).map((r) => r.id);
}

/** Serializes teams with their members (availability and open load), channels and waiting queue, in five queries. */
async function serializeTeams(db: Executor, workspaceId: string, rows: TeamRow[]): Promise<Team[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((t) => t.id);
  const members = await db
    .select({ teamId: teamMembers.teamId, id: users.id, name: users.name, availability: users.availability, deactivatedAt: users.deactivatedAt })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(inArray(teamMembers.teamId, ids))
    .orderBy(asc(users.name));
  const links = await db.select().from(teamChannels).where(inArray(teamChannels.teamId, ids));
  const memberIds = [...new Set(members.map((m) => m.id))];
  const loads = memberIds.length
    ? await db
        .select({ userId: conversations.assigneeId, n: sql<number>`count(*)::int` })
        .from(conversations)
        .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.status, "open"), inArray(conversations.assigneeId, memberIds)))
        .groupBy(conversations.assigneeId)
    : [];
  const waiting = await db
    .select({ teamId: conversations.teamId, n: sql<number>`count(*)::int` })
    .from(conversations)
    .where(and(inArray(conversations.teamId, ids), isNotNull(conversations.queuedAt)))
    .groupBy(conversations.teamId);
  const load = new Map(loads.map((l) => [l.userId, Number(l.n)]));
  return rows.map((t) => {
    const own = members.filter((m) => m.teamId === t.id);
    return {
      id: t.id,
      name: t.name,
      memberIds: own.map((m) => m.id),
      members: own.map((m) => ({ id: m.id, name: m.name, availability: m.availability, active: !m.deactivatedAt, openConversations: load.get(m.id) ?? 0 })),
      channelIds: links.filter((l) => l.teamId === t.id).map((l) => l.channelId),
      assignment: { policy: t.assignmentPolicy, capacity: t.capacity, whenOffline: t.whenOffline },
      businessHours: t.businessHours ?? null,
      waiting: Number(waiting.find((w) => w.teamId === t.id)?.n ?? 0),
      createdAt: t.createdAt.toISOString(),
      updatedAt: t.updatedAt.toISOString(),
    };
  });
}

/** Managers see every team; an agent sees the teams they belong to. */
function teamScope(scope: Scope) {
  const ws = eq(teams.workspaceId, scope.workspaceId);
  return scope.role === "agent" ? and(ws, sql`${teams.id} in (select ${teamMembers.teamId} from ${teamMembers} where ${teamMembers.userId} = ${scope.userId})`)! : ws;
}

export async function listTeams(db: Executor, scope: Scope): Promise<Team[]> {
  const rows = await db.select().from(teams).where(teamScope(scope)).orderBy(asc(teams.name));
  return serializeTeams(db, scope.workspaceId, rows);
}

export async function getTeam(db: Executor, scope: Scope, id: string): Promise<Team> {
  const rows = await db.select().from(teams).where(and(teamScope(scope), eq(teams.id, id)));
  if (!rows.length) throw new NotFound("team not found");
  return (await serializeTeams(db, scope.workspaceId, rows))[0]!;
}

export function checkBusinessHours(hours: BusinessHours | null | undefined, field = "businessHours") {
  if (hours && !isKnownTimeZone(hours.timeZone)) throw new BadRequest(`${field}.timeZone: unknown time zone ${hours.timeZone}`, "invalid_time_zone");
}

async function checkMembers(tx: Tx, workspaceId: string, ids: string[]) {
  if (!ids.length) return;
  const found = await tx.select({ id: users.id }).from(users).where(and(eq(users.workspaceId, workspaceId), inArray(users.id, ids)));
  if (found.length !== new Set(ids).size) throw new BadRequest("memberIds: no such user in this workspace", "unknown_user");
}

async function checkChannels(tx: Tx, workspaceId: string, teamId: string, ids: string[]) {
  if (!ids.length) return;
  const found = await tx.select({ id: channels.id }).from(channels).where(and(eq(channels.workspaceId, workspaceId), inArray(channels.id, ids)));
  if (found.length !== new Set(ids).size) throw new BadRequest("channelIds: no such channel in this workspace", "unknown_channel");
  const taken = await tx
    .select({ channelId: teamChannels.channelId, team: teams.name })
    .from(teamChannels)
    .innerJoin(teams, eq(teams.id, teamChannels.teamId))
    .where(and(inArray(teamChannels.channelId, ids), ne(teamChannels.teamId, teamId)));
  if (taken.length) throw new Conflict(`a channel can belong to one team only: it is in ${taken[0]!.team}`, "channel_in_other_team");
}

async function checkName(tx: Tx, workspaceId: string, name: string, except: string | null) {
  const [other] = await tx
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.workspaceId, workspaceId), sql`lower(${teams.name}) = lower(${name})`, except ? ne(teams.id, except) : undefined));
  if (other) throw new Conflict("a team with this name already exists", "team_name_taken");
}

/**
 * Conversations follow their channel: those of channels joining the team (and in no team yet) join its
 * queue; those of channels leaving it leave it. Resolved ones keep their history. Each move is in the ledger.
 */
async function moveChannelConversations(tx: Tx, events: DomainEvent[], workspaceId: string, teamId: string, added: string[], removed: string[], at: Date) {
  const moves: Array<{ id: string; teamId: string | null; previous: string | null }> = [];
  if (added.length) {
    const rows = await tx
      .update(conversations)
      .set({ teamId })
      .where(and(eq(conversations.workspaceId, workspaceId), inArray(conversations.channelId, added), isNull(conversations.teamId), ne(conversations.status, "resolved")))
      .returning({ id: conversations.id });
    moves.push(...rows.map((r) => ({ id: r.id, teamId, previous: null })));
  }
  if (removed.length) {
    const rows = await tx
      .update(conversations)
      .set({ teamId: null })
      .where(and(eq(conversations.workspaceId, workspaceId), inArray(conversations.channelId, removed), eq(conversations.teamId, teamId), ne(conversations.status, "resolved")))
      .returning({ id: conversations.id });
    moves.push(...rows.map((r) => ({ id: r.id, teamId: null, previous: teamId })));
  }
  if (!moves.length) return;
  await tx.insert(conversationEvents).values(
    moves.map((m) => ({ workspaceId, conversationId: m.id, type: "team_changed", actor: "system" as const, data: { teamId: m.teamId, previous: m.previous, by: "team_channels" }, at })),
  );
  for (const m of moves) events.push({ type: "conversation.updated", workspaceId, conversationId: m.id });
}

/** Who joined and left, for the live rooms; the queue is looked at again after commit. */
async function afterTeamChange(ctx: Ctx, workspaceId: string, teamId: string, joined: string[], left: string[], remeasure: boolean) {
  for (const u of joined) ctx.realtime.join(rooms.user(u), rooms.team(teamId));
  for (const u of left) ctx.realtime.leave(rooms.user(u), rooms.team(teamId));
  await ctx.bus.publish([{ type: "assignment.check", workspaceId, teamId, userId: null }]);
  if (remeasure) {
    const now = ctx.clock.now();
    await enqueue(ctx, slaReapplyJob, { workspaceId, since: now.toISOString() }, { jobId: `sla-reapply-${workspaceId}-${now.getTime()}` });
  }
}

export async function createTeam(ctx: Ctx, scope: Scope, input: z.infer<typeof CreateTeamRequest>): Promise<Team> {
  checkBusinessHours(input.businessHours);
  const memberIds = [...new Set(input.memberIds)];
  const channelIds = [...new Set(input.channelIds)];
  const id = await inTransaction(ctx, async (tx, events) => {
    await checkName(tx, scope.workspaceId, input.name, null);
    await checkMembers(tx, scope.workspaceId, memberIds);
    const [team] = await tx
      .insert(teams)
      .values({
        workspaceId: scope.workspaceId,
        name: input.name,
        assignmentPolicy: input.assignment.policy,
        capacity: input.assignment.capacity,
        whenOffline: input.assignment.whenOffline,
        businessHours: input.businessHours,
      })
      .returning();
    await checkChannels(tx, scope.workspaceId, team!.id, channelIds);
    if (memberIds.length) await tx.insert(teamMembers).values(memberIds.map((userId) => ({ teamId: team!.id, userId })));
    if (channelIds.length) await tx.insert(teamChannels).values(channelIds.map((channelId) => ({ teamId: team!.id, channelId })));
    await moveChannelConversations(tx, events, scope.workspaceId, team!.id, channelIds, [], ctx.clock.now());
    await recordAudit(tx, scope, "team.created", "team", team!.id, { name: input.name, members: memberIds.length, channels: channelIds.length });
    return team!.id;
  });
  await afterTeamChange(ctx, scope.workspaceId, id, memberIds, [], channelIds.length > 0);
  return getTeam(ctx.db, scope, id);
}

export async function updateTeam(ctx: Ctx, scope: Scope, id: string, input: z.infer<typeof UpdateTeamRequest>): Promise<Team> {
  checkBusinessHours(input.businessHours);
  const change = await inTransaction(ctx, async (tx, events) => {
    // The team row is what assignment locks: changing the team waits for an assignment in progress.
    const [team] = await tx.select().from(teams).where(and(eq(teams.workspaceId, scope.workspaceId), eq(teams.id, id))).for("update");
    if (!team) throw new NotFound("team not found");
    const patch: Partial<TeamRow> = { updatedAt: new Date() };
    if (input.name !== undefined) {
      await checkName(tx, scope.workspaceId, input.name, id);
      patch.name = input.name;
    }
    if (input.assignment?.policy) patch.assignmentPolicy = input.assignment.policy;
    if (input.assignment?.capacity !== undefined) patch.capacity = input.assignment.capacity;
    if (input.assignment?.whenOffline) patch.whenOffline = input.assignment.whenOffline;
    if (input.businessHours !== undefined) patch.businessHours = input.businessHours;
    await tx.update(teams).set(patch).where(eq(teams.id, id));

    let joined: string[] = [];
    let left: string[] = [];
    if (input.memberIds) {
      const want = [...new Set(input.memberIds)];
      await checkMembers(tx, scope.workspaceId, want);
      const had = await teamIdsMembers(tx, id);
      joined = want.filter((u) => !had.includes(u));
      left = had.filter((u) => !want.includes(u));
      if (left.length) await tx.delete(teamMembers).where(and(eq(teamMembers.teamId, id), inArray(teamMembers.userId, left)));
      if (joined.length) await tx.insert(teamMembers).values(joined.map((userId) => ({ teamId: id, userId })));
    }
    let channelsMoved = false;
    if (input.channelIds) {
      const want = [...new Set(input.channelIds)];
      await checkChannels(tx, scope.workspaceId, id, want);
      const had = (await tx.select({ id: teamChannels.channelId }).from(teamChannels).where(eq(teamChannels.teamId, id))).map((r) => r.id);
      const added = want.filter((c) => !had.includes(c));
      const removed = had.filter((c) => !want.includes(c));
      if (removed.length) await tx.delete(teamChannels).where(and(eq(teamChannels.teamId, id), inArray(teamChannels.channelId, removed)));
      if (added.length) await tx.insert(teamChannels).values(added.map((channelId) => ({ teamId: id, channelId })));
      await moveChannelConversations(tx, events, scope.workspaceId, id, added, removed, ctx.clock.now());
      channelsMoved = added.length + removed.length > 0;
    }
    await recordAudit(tx, scope, "team.updated", "team", id, { fields: Object.keys(input) });
    return { joined, left, remeasure: channelsMoved || input.businessHours !== undefined };
  });
  await afterTeamChange(ctx, scope.workspaceId, id, change.joined, change.left, change.remeasure);
  return getTeam(ctx.db, scope, id);
}

async function teamIdsMembers(tx: Executor, teamId: string): Promise<string[]> {
  return (await tx.select({ id: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, teamId))).map((r) => r.id);
}

/** Deletes a team: its conversations leave its queue (in the ledger); policies naming it simply no longer match it. */
export async function deleteTeam(ctx: Ctx, scope: Scope, id: string): Promise<void> {
  const members = await inTransaction(ctx, async (tx, events) => {
    const [team] = await tx.select().from(teams).where(and(eq(teams.workspaceId, scope.workspaceId), eq(teams.id, id))).for("update");
    if (!team) throw new NotFound("team not found");
    const members = await teamIdsMembers(tx, id);
    const moved = await tx
      .update(conversations)
      .set({ teamId: null })
      .where(and(eq(conversations.workspaceId, scope.workspaceId), eq(conversations.teamId, id)))
      .returning({ id: conversations.id, status: conversations.status });
    const at = ctx.clock.now();
    if (moved.length) {
      await tx.insert(conversationEvents).values(
        moved.map((m) => ({ workspaceId: scope.workspaceId, conversationId: m.id, type: "team_changed", actor: "system" as const, data: { teamId: null, previous: id, by: "team_deleted" }, at })),
      );
      for (const m of moved) if (m.status !== "resolved") events.push({ type: "conversation.updated", workspaceId: scope.workspaceId, conversationId: m.id });
    }
    await tx.delete(teams).where(eq(teams.id, id));
    await recordAudit(tx, scope, "team.deleted", "team", id, { name: team.name });
    return members;
  });
  for (const u of members) ctx.realtime.leave(rooms.user(u), rooms.team(id));
  const now = ctx.clock.now();
  await enqueue(ctx, slaReapplyJob, { workspaceId: scope.workspaceId, since: now.toISOString() }, { jobId: `sla-reapply-${scope.workspaceId}-${now.getTime()}` });
}
