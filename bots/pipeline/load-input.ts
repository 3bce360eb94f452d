import { and, desc, eq, gt, lt, lte, ne, sql } from "drizzle-orm";
import { loadUnit } from "../../shared/text-length.js";
import type { BotRule, BotSettings, BotStages } from "../../shared/schemas/bots.js";
import type { Executor } from "../../server/db/client.js";
import { channels, contactIdentities, conversationEvents, conversations, messages } from "../../server/db/schema.js";
import { replyOptions } from "../../server/domain/reply-options.js";
import { channelRules } from "../bot-config.js";
import type { EffectiveLlm } from "../llm/settings.js";
import { botSettingsOf, pipelineOf, stagesFor } from "./config.js";
import type { BotInput } from "./types.js";

type ConversationRow = typeof conversations.$inferSelect;
type MessageRow = typeof messages.$inferSelect;
type ChannelRow = typeof channels.$inferSelect;

const HISTORY = 12;

/**
 * Reads what one bot turn needs, as of the customer message being answered (so a dry run sees the
 * conversation as it was then). Plain reads, no lock: the model is called after this, and the job
 * checks ownership again in the transaction that records the answer.
 */
export async function loadBotInput(
  db: Executor,
  conv: ConversationRow,
  msg: MessageRow,
  channel: ChannelRow,
  llm: EffectiveLlm,
  opts: { now?: Date; stages?: BotStages; settings?: BotSettings; rules?: BotRule[]; asOfMessage?: boolean } = {},
): Promise<BotInput> {
  const now = opts.now ?? new Date();
  const stages = opts.stages ?? stagesFor(pipelineOf(channel.botSettings), conv.kind);
  const settings = opts.settings ?? botSettingsOf(channel.botSettings);
  const history = await db
    .select({ author: messages.author, text: messages.text })
    .from(messages)
    .where(and(eq(messages.conversationId, conv.id), lt(messages.seq, msg.seq), ne(messages.visibility, "note"), ne(messages.status, "cancelled"), sql`${messages.deletedAt} is null`))
    .orderBy(desc(messages.seq))
    .limit(HISTORY);

  // Bot replies count from the latest hand-back (a person gave the bot a fresh start).
  const [handback] = await db
    .select({ at: conversationEvents.at })
    .from(conversationEvents)
    .where(and(eq(conversationEvents.conversationId, conv.id), eq(conversationEvents.type, "handed_back"), lte(conversationEvents.at, msg.createdAt)))
    .orderBy(desc(conversationEvents.id))
    .limit(1);
  const botRows = await db
    .select({ at: messages.createdAt })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conv.id),
        eq(messages.author, "bot"),
        ne(messages.status, "cancelled"),
        lt(messages.seq, msg.seq),
        ...(handback ? [gt(messages.createdAt, handback.at)] : []),
      ),
    )
    .orderBy(desc(messages.seq));
  const windowStart = new Date((opts.asOfMessage ? msg.createdAt : now).getTime() - stages.guardrails.loopWindowSeconds * 1000);

  const [identity] = await db
    .select({ blockedAt: contactIdentities.blockedAt, blockedReason: contactIdentities.blockedReason })
    .from(contactIdentities)
    .where(and(eq(contactIdentities.contactId, conv.contactId), eq(contactIdentities.channelId, conv.channelId)));
  const options = replyOptions(conv, channel, identity, now);
  await loadUnit(options.lengthUnit); // the bots trim their answers in it
  const rating = msg.rating ?? (typeof conv.context.rating === "number" ? conv.context.rating : null);

  return {
    now: opts.asOfMessage ? msg.createdAt : now,
    workspaceId: conv.workspaceId,
    channel: { id: channel.id, platform: channel.platform, name: channel.name },
    conversation: { id: conv.id, kind: conv.kind, botMisses: conv.botMisses },
    message: { id: msg.id, seq: msg.seq, text: msg.text, rating },
    history: history.reverse(),
    recentBotReplies: botRows.map((b) => b.at).filter((at) => at >= windowStart),
    botReplies: botRows.length,
    settings,
    stages,
    rules: opts.rules ?? (await channelRules(db, channel.id)),
    llm,
    maxLength: options.maxLength,
    lengthUnit: options.lengthUnit,
    publicReply: conv.kind !== "dm",
    // A dry run looks at the past: today's windows and blocks say nothing about then.
    replyBlocked: opts.asOfMessage || options.surfaces.includes("reply") ? null : (options.blockedReason ?? "the platform allows no reply here"),
  };
}

/** The latest customer message of a conversation after `seq`, if any: a newer message supersedes a turn. */
export async function newerCustomerMessage(db: Executor, conversationId: string, seq: number) {
  const [row] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.author, "customer"), gt(messages.seq, seq)))
    .limit(1);
  return row ?? null;
}

