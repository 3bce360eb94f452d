import { eq } from "drizzle-orm";
import type { Executor } from "../db/client.js";
import { conversations, teamChannels } from "../db/schema.js";
import { rooms } from "../infra/realtime.js";
import type { Scope } from "./scope.js";
import { teamIdsOf } from "./teams.js";
import { idIn } from "../db/id-in.js";

/**
 * The socket rooms that may receive a conversation's events: exactly who conversationScope lets see it
 * (managers, its assignee, the members of its team and of its channel's team, or every agent when
 * neither has a team). One query.
 */
export async function conversationRooms(db: Executor, workspaceId: string, conversationId: string): Promise<string[]> {
  return (await conversationRoomsOf(db, workspaceId, [conversationId])).get(conversationId)!;
}

/** conversationRooms for several conversations of a workspace, in one query (the pushes after an ingest batch). */
export async function conversationRoomsOf(db: Executor, workspaceId: string, conversationIds: string[]): Promise<Map<string, string[]>> {
  const ids = [...new Set(conversationIds)];
  const found = ids.length
    ? await db
        .select({ id: conversations.id, teamId: conversations.teamId, assigneeId: conversations.assigneeId, channelTeamId: teamChannels.teamId })
        .from(conversations)
        .leftJoin(teamChannels, eq(teamChannels.channelId, conversations.channelId))
        .where(idIn(conversations.id, ids))
    : [];
  const byId = new Map(found.map((c) => [c.id, c]));
  return new Map(ids.map((id) => [id, audienceRooms(workspaceId, byId.get(id))]));
}

/**
 * The rooms of a conversation with this assignee, team and channel team (its channel's team, if
 * any); managers only for one not found.
 */
export function audienceRooms(workspaceId: string, c: { assigneeId: string | null; teamId: string | null; channelTeamId: string | null } | undefined): string[] {
  const out = [rooms.managers(workspaceId)];
  if (!c) return out;
  if (c.assigneeId) out.push(rooms.user(c.assigneeId));
  if (c.teamId) out.push(rooms.team(c.teamId));
  if (c.channelTeamId && c.channelTeamId !== c.teamId) out.push(rooms.team(c.channelTeamId));
  if (!c.teamId && !c.channelTeamId) out.push(rooms.agents(workspaceId));
  return out;
}

/** The rooms a user's sockets join, besides the workspace's and the session's. */
export async function roomsOfUser(db: Executor, scope: Scope): Promise<string[]> {
  const own = [rooms.user(scope.userId)];
  if (scope.role !== "agent") return [...own, rooms.managers(scope.workspaceId)];
  return [...own, rooms.agents(scope.workspaceId), ...(await teamIdsOf(db, scope.userId)).map(rooms.team)];
}
