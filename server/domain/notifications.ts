import { and, count, eq, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { MarkReadRequest, Notification, NotificationListQuery } from "../../shared/schemas/notifications.js";
import type { Ctx } from "../context.js";
import type { Executor } from "../db/client.js";
import { channels, conversations, notifications, users } from "../db/schema.js";
import type { DomainEvent } from "../infra/event-bus.js";
import { BadRequest, type Scope } from "./scope.js";
import { inTransaction } from "./transaction.js";

type Row = typeof notifications.$inferSelect;
type Kind = Row["kind"];
export type NewNotification = {
  workspaceId: string;
  userId: string;
  kind: Kind;
  conversationId: string | null;
  /** What happened, in words: never customer text (it may show on a lock screen). */
  text: string;
  actorUserId?: string | null;
  /** The same key twice stores one notification (a source event delivered again). */
  dedupeKey?: string;
};

/** Stores notifications in the caller's transaction; each is pushed to its recipient after the commit. */
export async function notify(tx: Executor, events: DomainEvent[], items: NewNotification[]): Promise<void> {
  if (items.length === 0) return;
  const rows = await tx
    .insert(notifications)
    .values(items.map((n) => ({ ...n, actorUserId: n.actorUserId ?? null, dedupeKey: n.dedupeKey ?? null })))
    .onConflictDoNothing()
    .returning({ id: notifications.id, userId: notifications.userId, workspaceId: notifications.workspaceId });
  for (const r of rows) events.push({ type: "notification.created", workspaceId: r.workspaceId, userId: r.userId, notificationId: r.id });
}

const columns = { n: notifications, actorName: users.name };

function serialize(r: { n: Row; actorName: string | null }): Notification {
  return {
    id: r.n.id,
    kind: r.n.kind,
    conversationId: r.n.conversationId,
    text: r.n.text,
    actorName: r.actorName,
    createdAt: r.n.createdAt.toISOString(),
    readAt: r.n.readAt?.toISOString() ?? null,
  };
}

export async function getNotification(db: Executor, userId: string, id: string): Promise<Notification | null> {
  const [r] = await db
    .select(columns)
    .from(notifications)
    .leftJoin(users, eq(users.id, notifications.actorUserId))
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)));
  return r ? serialize(r) : null;
}

const encodeCursor = (at: Date, id: string) => Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");
function decodeCursor(cursor: string) {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = new Date(at ?? "");
  if (!id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) throw new BadRequest("cursor is not valid", "invalid_cursor");
  return { at: date, id };
}

async function unreadCount(db: Executor, scope: Scope): Promise<number> {
  const [r] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, scope.userId), eq(notifications.workspaceId, scope.workspaceId), isNull(notifications.readAt)));
  return Number(r?.n ?? 0);
}

/** The caller's own notifications, newest first, and how many are unread. */
export async function listNotifications(db: Executor, scope: Scope, q: z.infer<typeof NotificationListQuery>) {
  const where: SQL[] = [eq(notifications.userId, scope.userId), eq(notifications.workspaceId, scope.workspaceId)];
  if (q.unread === true) where.push(isNull(notifications.readAt));
  if (q.unread === false) where.push(sql`${notifications.readAt} is not null`);
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    where.push(or(lt(notifications.createdAt, c.at), and(eq(notifications.createdAt, c.at), lt(notifications.id, c.id)))!);
  }
  const rows = await db
    .select(columns)
    .from(notifications)
    .leftJoin(users, eq(users.id, notifications.actorUserId))
    .where(and(...where))
    // Matches notifications_user_idx (DESC NULLS LAST), so the index serves the order.
    .orderBy(sql`${notifications.createdAt} desc nulls last`, sql`${notifications.id} desc nulls last`)
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(serialize),
    unread: await unreadCount(db, scope),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.n.createdAt, last.n.id) : null,
  };
}

/** Marks the caller's notifications read (some, or all); ids of others are simply not touched. */
export async function markRead(ctx: Pick<Ctx, "db" | "clock">, scope: Scope, body: z.infer<typeof MarkReadRequest>): Promise<{ unread: number }> {
  const mine = and(eq(notifications.userId, scope.userId), eq(notifications.workspaceId, scope.workspaceId), isNull(notifications.readAt));
  await ctx.db
    .update(notifications)
    .set({ readAt: ctx.clock.now() })
    .where("ids" in body ? and(mine, inArray(notifications.id, body.ids)) : mine);
  return { unread: await unreadCount(ctx.db, scope) };
}

/** Checks that mentioned ids are active users of the workspace; answers their names by id. */
export async function mentionedUsers(tx: Executor, workspaceId: string, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), inArray(users.id, unique), isNull(users.deactivatedAt)));
  if (rows.length !== unique.length) throw new BadRequest("mentions: someone mentioned is not an active member of this workspace", "unknown_mention");
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Teammates @mentioned in a note are told who mentioned them (never the note's text). */
export async function notifyMentions(tx: Executor, events: DomainEvent[], scope: Scope, conversationId: string, userIds: string[]): Promise<void> {
  const others = userIds.filter((id) => id !== scope.userId);
  if (others.length === 0) return;
  const [author] = await tx.select({ name: users.name }).from(users).where(eq(users.id, scope.userId));
  await notify(
    tx,
    events,
    others.map((userId) => ({
      workspaceId: scope.workspaceId,
      userId,
      kind: "mention" as const,
      conversationId,
      text: `${author?.name ?? "A teammate"} mentioned you in a note`,
      actorUserId: scope.userId,
    })),
  );
}

const metricWords: Record<string, string> = {
  first_response: "first response",
  next_response: "next reply",
  resolution: "resolution",
  reply_window: "platform's reply window",
};

async function channelNameOf(db: Executor, workspaceId: string, conversationId: string): Promise<string | null> {
  const [r] = await db
    .select({ name: channels.name })
    .from(conversations)
    .innerJoin(channels, eq(channels.id, conversations.channelId))
    .where(and(eq(conversations.id, conversationId), eq(conversations.workspaceId, workspaceId)));
  return r?.name ?? null;
}

type Assigned = Extract<DomainEvent, { type: "conversation.assigned" }>;
type Sla = Extract<DomainEvent, { type: "sla.warning" | "sla.breached" }>;

/** A new assignee hears about it, unless they assigned themselves. */
export async function notifyAssignment(ctx: Ctx, e: Assigned): Promise<void> {
  if (!e.assigneeId || e.assigneeId === e.actorUserId) return;
  await inTransaction(ctx, async (tx, events) => {
    const channel = await channelNameOf(tx, e.workspaceId, e.conversationId);
    if (!channel) return;
    const [actor] = e.actorUserId ? await tx.select({ name: users.name }).from(users).where(eq(users.id, e.actorUserId)) : [];
    const text = actor ? `${actor.name} assigned you a conversation on ${channel}` : `A conversation on ${channel} was assigned to you`;
    await notify(tx, events, [{ workspaceId: e.workspaceId, userId: e.assigneeId!, kind: "assigned", conversationId: e.conversationId, text, actorUserId: e.actorUserId }]);
  });
}

/**
 * An SLA warning or breach goes to the assignee, or, for a conversation nobody holds, to the
 * workspace's admins and supervisors. A timer firing twice notifies once (dedupe key).
 */
export async function notifySla(ctx: Ctx, e: Sla): Promise<void> {
  await inTransaction(ctx, async (tx, events) => {
    const channel = await channelNameOf(tx, e.workspaceId, e.conversationId);
    if (!channel) return;
    const recipients = e.assigneeId
      ? [e.assigneeId]
      : (
          await tx
            .select({ id: users.id })
            .from(users)
            .where(and(eq(users.workspaceId, e.workspaceId), inArray(users.role, ["admin", "supervisor"]), isNull(users.deactivatedAt)))
        ).map((u) => u.id);
    const what = metricWords[e.metric] ?? e.metric;
    const kind = e.type === "sla.warning" ? "sla_warning" : "sla_breached";
    const text =
      e.metric === "reply_window"
        ? kind === "sla_warning"
          ? `The platform's reply window is closing soon on a conversation on ${channel}`
          : `The platform's reply window has closed on a conversation on ${channel}`
        : kind === "sla_warning"
          ? `SLA warning: the ${what} is due soon on a conversation on ${channel}`
          : `SLA breached: the ${what} is overdue on a conversation on ${channel}`;
    await notify(
      tx,
      events,
      recipients.map((userId) => ({
        workspaceId: e.workspaceId,
        userId,
        kind,
        conversationId: e.conversationId,
        text,
        dedupeKey: `${kind}:${e.conversationId}:${e.metric}:${e.dueAt}:${userId}`,
      })),
    );
  });
}
