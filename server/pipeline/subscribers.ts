import { and, eq } from "drizzle-orm";
import { enqueue, type Ctx } from "../context.js";
import { users } from "../db/schema.js";
import { getConversation, getConversations, getMessage } from "../domain/conversation-queries.js";
import { getChannelRow, serializeChannel, withoutConnectionDetails } from "../domain/channels.js";
import { serveQueues } from "../domain/assignment.js";
import { scheduleSlaTimer } from "../domain/sla-timer.job.js";
import { scheduleSnoozeWake } from "../domain/snooze.job.js";
import { conversationRooms, conversationRoomsOf } from "../domain/teams-rooms.js";
import { serializeUser, userColumns } from "../domain/users.js";
import { getNotification, notifyAssignment, notifySla } from "../domain/notifications.js";
import { rooms } from "../infra/realtime.js";
import type { DomainEvent } from "../infra/event-bus.js";
import type { Conversation } from "../../shared/schemas/conversations.js";
import { botReplyJob } from "../../bots/bot-reply.job.js";
import { outboundSendJob } from "./outbound-send.job.js";
import { mediaFetchJob } from "../media/media-fetch.job.js";

/**
 * What happens after a commit: socket pushes run inline (cheap), bots and sends go to their queues.
 * One listener per concern, each failing alone.
 */
export function registerSubscribers(ctx: Ctx) {
  // Socket pushes of one publish (an ingest batch: many conversations) read their rooms and
  // conversations in one query each, then go out in order; a push that fails is logged alone.
  // Pushes whose transaction gave their rooms and conversation (set-based ingest) need no read.
  ctx.bus.subscribeBatch("realtime", async (events) => {
    const roomsOf = new Map<string, string[]>();
    const conversationOf = new Map<string, Conversation>();
    for (const e of events) {
      if ((e.type === "message.created" || e.type === "conversation.updated") && e.rooms) roomsOf.set(e.conversationId, e.rooms);
      if (e.type === "conversation.updated" && e.conversation) conversationOf.set(e.conversationId, e.conversation);
    }
    try {
      for (const [workspaceId, list] of byWorkspace(events)) {
        const withRooms = list.filter((e) => roomed.has(e.type)).map((e) => (e as { conversationId: string }).conversationId).filter((id) => !roomsOf.has(id));
        const shown = list
          .flatMap((e) => (e.type === "conversation.updated" || (e.type === "conversation.assigned" && e.previousAssigneeId) ? [e.conversationId] : []))
          .filter((id) => !conversationOf.has(id));
        // Both reads at once (two pool connections on PostgreSQL): the first push waits for one round trip, not two.
        const [roomsRead, shownRead] = await Promise.all([conversationRoomsOf(ctx.db, workspaceId, withRooms), getConversations(ctx.db, { workspaceId }, [...new Set(shown)])]);
        for (const [id, to] of roomsRead) roomsOf.set(id, to);
        for (const [id, c] of shownRead) conversationOf.set(id, c);
      }
    } catch (err) {
      ctx.log.warn("could not read the socket pushes' conversations together; reading them one by one", { error: err });
    }
    const roomsFor = async (workspaceId: string, id: string) => roomsOf.get(id) ?? (await conversationRooms(ctx.db, workspaceId, id));
    const conversationFor = async (workspaceId: string, id: string) => conversationOf.get(id) ?? (await getConversation(ctx.db, { workspaceId }, id));
    for (const e of events) {
      try {
        await push(e, roomsFor, conversationFor);
      } catch (err) {
        ctx.log.error("subscriber failed", { subscriber: "realtime", event: e.type, error: err });
      }
    }
  });

  async function push(
    e: DomainEvent,
    roomsFor: (workspaceId: string, id: string) => Promise<string[]>,
    conversationFor: (workspaceId: string, id: string) => Promise<Conversation>,
  ) {
    const scope = { workspaceId: e.workspaceId };
    // Conversation events reach only those who may see the conversation (managers, its teams, its assignee).
    if (e.type === "message.created" || e.type === "message.updated") {
      const to = await roomsFor(e.workspaceId, e.conversationId);
      const message = (e.type === "message.created" && e.message) || (await getMessage(ctx.db, scope, e.messageId));
      ctx.realtime.emit(to, e.type, { message });
    } else if (e.type === "conversation.updated") {
      const to = await roomsFor(e.workspaceId, e.conversationId);
      ctx.realtime.emit(to, e.type, { conversation: await conversationFor(e.workspaceId, e.conversationId) });
    } else if (e.type === "conversation.assigned" && e.previousAssigneeId) {
      // The previous assignee learns it left their list (they may no longer see it afterwards).
      ctx.realtime.emit(rooms.user(e.previousAssigneeId), "conversation.updated", { conversation: await conversationFor(e.workspaceId, e.conversationId) });
    } else if (e.type === "sla.warning") {
      ctx.realtime.emit(await roomsFor(e.workspaceId, e.conversationId), "sla.warning", { conversationId: e.conversationId, metric: e.metric, dueAt: e.dueAt });
    } else if (e.type === "sla.breached") {
      // A breach is recorded at its due time, whichever timer or sweep noticed it.
      const payload = { conversationId: e.conversationId, metric: e.metric, dueAt: e.dueAt, breachedAt: e.dueAt };
      ctx.realtime.emit(await roomsFor(e.workspaceId, e.conversationId), "sla.breached", payload);
    } else if (e.type === "user.updated") {
      const [user] = await ctx.db.select(userColumns).from(users).where(and(eq(users.id, e.userId), eq(users.workspaceId, e.workspaceId)));
      if (user) ctx.realtime.emit([rooms.managers(e.workspaceId), rooms.user(e.userId)], "user.updated", { user: serializeUser(user) });
    } else if (e.type === "channel.updated") {
      // Pushed to every role in the workspace: without the connection details only admins may see.
      ctx.realtime.emit(rooms.workspace(e.workspaceId), e.type, { channel: withoutConnectionDetails(serializeChannel(ctx, await getChannelRow(ctx.db, scope, e.channelId))) });
    } else if (e.type === "notification.created") {
      // To its recipient's sockets only.
      const notification = await getNotification(ctx.db, e.userId, e.notificationId);
      if (notification) ctx.realtime.emit(rooms.user(e.userId), e.type, { notification });
    }
  }

  ctx.bus.subscribe("notifications", async (e) => {
    if (e.type === "conversation.assigned") await notifyAssignment(ctx, e);
    else if (e.type === "sla.warning" || e.type === "sla.breached") await notifySla(ctx, e);
  });

  ctx.bus.subscribe("bots", async (e) => {
    if (e.type !== "message.created" || e.author !== "customer" || e.owner !== "bot") return;
    await enqueue(ctx, botReplyJob, { conversationId: e.conversationId, messageId: e.messageId }, { jobId: `bot-${e.messageId}` });
  });

  ctx.bus.subscribe("media", async (e) => {
    if (e.type !== "attachments.pending") return;
    for (const attachmentId of e.attachmentIds) await enqueue(ctx, mediaFetchJob, { attachmentId }, { jobId: `media-${attachmentId}` });
  });

  ctx.bus.subscribe("outbound", async (e) => {
    if (e.type !== "message.outbound.queued") return;
    await enqueue(ctx, outboundSendJob, { messageId: e.messageId }, { jobId: e.messageId });
  });

  // Assignment is a few short queries under the team's lock: done right after the commit, in the
  // process that committed; the sweeper serves any queue a crash left waiting.
  ctx.bus.subscribe("assignment", async (e) => {
    if (e.type === "assignment.check") await serveQueues(ctx, e);
  });

  ctx.bus.subscribe("sla-timers", async (e) => {
    if (e.type === "sla.timer") await scheduleSlaTimer(ctx, e);
  });

  ctx.bus.subscribe("snooze-timers", async (e) => {
    if (e.type === "snooze.timer") await scheduleSnoozeWake(ctx, e);
  });
}

/** The pushes that go to a conversation's rooms. */
const roomed = new Set<DomainEvent["type"]>(["message.created", "message.updated", "conversation.updated", "sla.warning", "sla.breached"]);

function byWorkspace(events: DomainEvent[]): Map<string, DomainEvent[]> {
  const out = new Map<string, DomainEvent[]>();
  for (const e of events) {
    const list = out.get(e.workspaceId);
    if (list) list.push(e);
    else out.set(e.workspaceId, [e]);
  }
  return out;
}
