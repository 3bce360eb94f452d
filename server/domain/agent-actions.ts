import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import type { CreateMessageRequest, ModerationRequest, UpdateConversationRequest } from "../../shared/schemas/conversations.js";
import { lengthIn, limitInWords, loadUnit, unitInWords } from "../../shared/text-length.js";
import type { Ctx } from "../context.js";
import { channels, contactIdentities, conversations, messages } from "../db/schema.js";
import { connectorFor } from "../connectors/registry.js";
import { channelRuntime, connectorEnv } from "../connectors/runtime.js";
import type { Surface } from "../connectors/types.js";
import { addMessage, changeConversation, lockConversation } from "./conversation-commands.js";
import { getConversation, getMessage } from "./conversation-queries.js";
import { appendLedger } from "./ledger.js";
import { replyOptions } from "./reply-options.js";
import { recordAudit } from "./audit.js";
import { BadRequest, Conflict, NotFound, UpstreamError, type Scope } from "./scope.js";
import { mentionedUsers, notifyMentions } from "./notifications.js";
import { claimUploads, linkUploads } from "../media/uploads.js";
import { checkReplyFiles } from "../media/reply-files.js";
import { inTransaction } from "./transaction.js";

export async function updateConversation(ctx: Ctx, scope: Scope, id: string, change: z.infer<typeof UpdateConversationRequest>) {
  await inTransaction(ctx, async (tx, events) => {
    const conv = await lockConversation(tx, scope, id);
    const { snoozedUntil, ...rest } = change;
    await changeConversation(tx, events, conv, { ...rest, ...(snoozedUntil && { snoozedUntil: new Date(snoozedUntil) }) }, { kind: "agent", userId: scope.userId }, ctx.clock.now());
  });
  // Read back as the workspace: an agent who just moved it out of their teams (or unassigned themselves)
  // still gets the result of their own change; afterwards it answers 404 for them.
  return getConversation(ctx.db, { workspaceId: scope.workspaceId }, id);
}

const surfaceLabel: Record<Surface, string> = { reply: "a reply", private_reply: "a private reply", template: "a template message" };

/**
 * An agent's reply or note. The reply must use a surface the platform allows now (window, private
 * reply already used, …); otherwise 409 with the reason. A public reply in a bot-owned conversation
 * takes it over first, so the bot never speaks over the agent; a reply to a resolved one reopens it.
 */
export async function postAgentMessage(ctx: Ctx, scope: Scope, conversationId: string, input: z.infer<typeof CreateMessageRequest>) {
  const id = await inTransaction(ctx, async (tx, events) => {
    let conv = await lockConversation(tx, scope, conversationId);
    const actor = { kind: "agent" as const, userId: scope.userId };
    const now = ctx.clock.now();
    if (input.mentions.length && input.visibility !== "note") throw new BadRequest("mentions: only internal notes can mention teammates");
    if (input.visibility === "note") {
      const mentioned = await mentionedUsers(tx, scope.workspaceId, input.mentions);
      // A note may carry any uploaded file: it never leaves Parley.
      const files = await claimUploads(tx, scope, input.attachmentIds, { conversationId: conv.id, channelId: conv.channelId });
      const row = await addMessage(tx, events, conv, {
        direction: "out",
        author: "agent",
        authorUserId: scope.userId,
        visibility: "note",
        text: input.text,
        status: "sent",
        attachments: files.display,
        meta: mentioned.size ? { mentions: [...mentioned.keys()] } : {},
      }, now);
      await linkUploads(tx, files.rows, row!.id, { conversationId: conv.id, channelId: conv.channelId });
      await notifyMentions(tx, events, scope, conv.id, [...mentioned.keys()]);
      return row!.id;
    }
    const [channel] = await tx.select().from(channels).where(eq(channels.id, conv.channelId));
    const [identity] = await tx
      .select()
      .from(contactIdentities)
      .where(and(eq(contactIdentities.contactId, conv.contactId), eq(contactIdentities.channelId, conv.channelId)));
    const options = replyOptions(conv, channel!, identity);
    const surface: Surface = input.template ? "template" : input.visibility === "private" && conv.kind !== "dm" ? "private_reply" : "reply";
    if (!options.surfaces.includes(surface)) {
      const code = surface === "private_reply" && conv.privateReplyAt ? "private_reply_used"
        : identity?.blockedAt ? "contact_blocked"
        : options.window && !options.window.open ? "reply_window_closed"
        : "reply_not_allowed";
      throw new Conflict(options.blockedReason && surface !== "private_reply" ? options.blockedReason : refusal(surface, conv, channel!.platform), code);
    }
    let text = input.text;
    let meta: Record<string, unknown> = {};
    if (input.template) {
      const t = options.templates.find((x) => x.name === input.template!.name && (!input.template!.language || x.language === input.template!.language));
      if (!t) throw new Conflict(`no template named ${input.template.name} on this channel`, "unknown_template");
      text = t.body.replace(/\{\{(\d+)\}\}/g, (_, n) => input.template!.params[Number(n) - 1] ?? `{{${n}}}`);
      meta = { template: { name: t.name, language: t.language, params: input.template.params } };
    }
    // The same cap the composer counts against (replyOptions.maxLength), so the two never disagree.
    await loadUnit(options.lengthUnit);
    const length = lengthIn(text, options.lengthUnit);
    if (length > options.maxLength) {
      throw new BadRequest(`the text is ${length} ${unitInWords(options.lengthUnit)}; this platform accepts at most ${limitInWords(options.maxLength, options.lengthUnit)}`, "text_too_long");
    }
    const files = await claimUploads(tx, scope, input.attachmentIds, { conversationId: conv.id, channelId: conv.channelId });
    // Files go with a normal reply only, within what the platform takes here (ReplyOptions.attachments).
    const rules = surface === "reply" && options.attachments ? connectorFor(channel!.platform).capabilities.attachments?.[conv.kind] : null;
    checkReplyFiles(files.rows, rules, connectorFor(channel!.platform).label);

    if (conv.owner === "bot") conv = await changeConversation(tx, events, conv, { owner: "human", handoffReason: "agent_takeover" }, actor, now);
    if (conv.status === "resolved") conv = await changeConversation(tx, events, conv, { status: "open" }, actor, now);
    if (surface === "private_reply") {
      conv.privateReplyAt = new Date();
      await tx.update(conversations).set({ privateReplyAt: conv.privateReplyAt }).where(eq(conversations.id, conv.id));
    }
    const row = await addMessage(tx, events, conv, {
      direction: "out",
      author: "agent",
      authorUserId: scope.userId,
      visibility: surface === "reply" && conv.kind !== "dm" ? "public" : "private",
      text,
      status: "queued",
      surface,
      meta,
      attachments: files.display,
    }, now);
    await linkUploads(tx, files.rows, row!.id, { conversationId: conv.id, channelId: conv.channelId });
    return row!.id;
  });
  return getMessage(ctx.db, scope, id);
}

function refusal(surface: Surface, conv: { kind: string; privateReplyAt: Date | null }, platform: string): string {
  if (surface === "private_reply" && conv.privateReplyAt) return "A private reply was already sent for this comment: platforms allow only one.";
  if (surface === "private_reply" && conv.kind !== "dm") return `${platform} does not allow a private reply here (not supported, or the comment is too old).`;
  return `${platform} does not allow ${surfaceLabel[surface]} in this conversation.`;
}

/** Hides, unhides or deletes a customer's public comment on the platform, then records it. */
export async function moderateMessage(ctx: Ctx, scope: Scope, conversationId: string, messageId: string, input: z.infer<typeof ModerationRequest>) {
  const conv = await getConversation(ctx.db, scope, conversationId);
  const [msg] = await ctx.db
    .select()
    .from(messages)
    .where(and(eq(messages.id, messageId), eq(messages.conversationId, conv.id), eq(messages.workspaceId, scope.workspaceId)));
  if (!msg) throw new NotFound("message not found");
  if (!conv.replyOptions.moderation.includes(input.action)) {
    throw new Conflict(`${conv.platform} does not allow "${input.action}" on a ${conv.kind} conversation`, "moderation_not_allowed");
  }
  if (msg.author !== "customer" || msg.visibility !== "public" || !msg.externalId) throw new Conflict("only a customer's public comment can be moderated");
  if (msg.deletedAt) throw new Conflict("this comment was deleted");
  const [channel] = await ctx.db.select().from(channels).where(eq(channels.id, msg.channelId));
  const connector = connectorFor(channel!.platform);
  if (!connector.moderate) throw new Conflict(`${conv.platform} does not support moderation`, "moderation_not_allowed");
  const result = await connector.moderate(channelRuntime(ctx, channel!), { action: input.action, kind: conv.kind, externalId: msg.externalId }, connectorEnv(ctx));
  if (!result.ok) {
    await ctx.db
      .update(channels)
      .set({ lastError: result.reason, lastErrorAt: new Date(), ...(result.needsReconnect ? { status: "needs_reconnect" as const, statusReason: result.reason } : {}) })
      .where(eq(channels.id, channel!.id));
    if (result.needsReconnect) await ctx.bus.publish([{ type: "channel.updated", workspaceId: channel!.workspaceId, channelId: channel!.id }]);
    throw new UpstreamError(result.reason);
  }
  await inTransaction(ctx, async (tx, events) => {
    await tx
      .update(messages)
      .set(
        input.action === "delete"
          ? { deletedAt: new Date(), meta: { ...msg.meta, deletedBy: "agent" }, updatedAt: new Date() }
          : { hidden: input.action === "hide", updatedAt: new Date() },
      )
      .where(eq(messages.id, msg.id));
    await appendLedger(tx, [
      { workspaceId: msg.workspaceId, conversationId: conv.id, type: "moderated", actor: "agent", actorUserId: scope.userId, messageId: msg.id, data: { action: input.action }, at: new Date() },
    ]);
    await recordAudit(tx, scope, `comment.${input.action}`, "message", msg.id, { conversationId: conv.id });
    events.push({ type: "message.updated", workspaceId: msg.workspaceId, conversationId: conv.id, messageId: msg.id });
  });
  return getMessage(ctx.db, scope, msg.id);
}
