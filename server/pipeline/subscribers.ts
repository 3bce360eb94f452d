import { enqueue, type Ctx } from "../context.js";
import { getConversation, getMessage } from "../domain/conversation-queries.js";
import { getChannelRow, serializeChannel, withoutConnectionDetails } from "../domain/channels.js";
import { getNotification, notifyAssignment, notifySla } from "../domain/notifications.js";
import { rooms } from "../infra/realtime.js";
import { botReplyJob } from "../../bots/bot-reply.job.js";
import { outboundSendJob } from "./outbound-send.job.js";
import { mediaFetchJob } from "../media/media-fetch.job.js";

/**
 * What happens after a commit: socket pushes run inline (cheap), bots and sends go to their queues.
 * One listener per concern, each failing alone.
 */
export function registerSubscribers(ctx: Ctx) {
  ctx.bus.subscribe("realtime", async (e) => {
    const scope = { workspaceId: e.workspaceId };
    const room = rooms.workspace(e.workspaceId);
    if (e.type === "message.created" || e.type === "message.updated") {
      ctx.realtime.emit(room, e.type, { message: await getMessage(ctx.db, scope, e.messageId) });
    } else if (e.type === "conversation.updated") {
      ctx.realtime.emit(room, e.type, { conversation: await getConversation(ctx.db, scope, e.conversationId) });
    } else if (e.type === "channel.updated") {
      // Pushed to every role in the workspace: without the connection details only admins may see.
      ctx.realtime.emit(room, e.type, { channel: withoutConnectionDetails(serializeChannel(ctx, await getChannelRow(ctx.db, scope, e.channelId))) });
    } else if (e.type === "notification.created") {
      // To its recipient's sockets only.
      const notification = await getNotification(ctx.db, e.userId, e.notificationId);
      if (notification) ctx.realtime.emit(rooms.user(e.userId), e.type, { notification });
    }
  });

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
}
