import type { NormalizedEventInput } from "../../../shared/schemas/normalized.js";

/** The parts of Telegram's Update and Message objects Parley reads (https://core.telegram.org/bots/api#update). */
type TgChat = { id: number; type: string; title?: string; first_name?: string; last_name?: string; username?: string };
type TgUser = { id: number; is_bot?: boolean; first_name?: string; last_name?: string; username?: string };
type TgMessage = {
  message_id: number;
  from?: TgUser;
  chat: TgChat;
  date?: number;
  edit_date?: number;
  text?: string;
  caption?: string;
  reply_to_message?: { message_id: number };
  message_thread_id?: number;
  [media: string]: unknown;
};
type TgChatMember = { chat: TgChat; date?: number; new_chat_member?: { status?: string } };
export type TgUpdate = {
  update_id: number;
  message?: TgMessage;
  edited_message?: TgMessage;
  my_chat_member?: TgChatMember;
  [other: string]: unknown;
};

/**
 * Media Parley shows as attachments. Telegram gives a file_id, never a URL: a download URL holds the
 * bot token, so it is never stored; the media job resolves the file_id when it fetches the file.
 */
const mediaTypes: Record<string, string> = {
  photo: "image",
  document: "file",
  voice: "audio",
  audio: "audio",
  video: "video",
  video_note: "video",
  animation: "video",
  sticker: "sticker",
};

/**
 * Telegram message ids are only unique within a chat, so Parley's id for a message is
 * `<chat id>:<message id>`; the reply side parses the message id back out.
 */
export const messageKey = (chatId: number | string, messageId: number | string) => `${chatId}:${messageId}`;

export const BLOCKED_REASON = "The customer blocked the bot: Telegram will not deliver messages until they restart it.";
export const UNBLOCKED_REASON = "The customer restarted the bot: replies can be sent again.";
const REMOVED_FROM_GROUP = "The bot was removed from this group: Telegram will not deliver messages until it is added again.";
const ADDED_TO_GROUP = "The bot was added to this group again: replies can be sent again.";

const isGroup = (chat: TgChat) => chat.type === "group" || chat.type === "supergroup";

function nameOf(who: { first_name?: string; last_name?: string; username?: string; title?: string } | undefined): string | undefined {
  if (!who) return undefined;
  const full = [who.first_name, who.last_name].filter(Boolean).join(" ").trim();
  return who.title || full || (who.username ? `@${who.username}` : undefined);
}

function iso(unixSeconds: number | undefined): string | undefined {
  return typeof unixSeconds === "number" ? new Date(unixSeconds * 1000).toISOString() : undefined;
}

function mediaOf(m: TgMessage) {
  const attachments: Array<{ type: string; ref?: string; name?: string; mimeType?: string; size?: number }> = [];
  for (const [field, type] of Object.entries(mediaTypes)) {
    const value = m[field];
    if (!value) continue;
    // photo is an array of sizes, smallest first: keep the largest.
    const item = (Array.isArray(value) ? value[value.length - 1] : value) as { file_id?: string; file_name?: string; mime_type?: string; file_size?: number } | undefined;
    attachments.push({
      type,
      ...(item?.file_id ? { ref: item.file_id } : {}),
      ...(item?.file_name ? { name: item.file_name } : {}),
      ...(item?.mime_type ? { mimeType: item.mime_type } : field === "photo" ? { mimeType: "image/jpeg" } : {}),
      ...(typeof item?.file_size === "number" ? { size: item.file_size } : {}),
    });
  }
  return attachments;
}

/**
 * Private chats and groups are both answered in the chat itself, so both become a dm thread keyed
 * by the chat: `contact:<chat id>`. In a group the "contact" is the group (named by its title) and
 * the sender is kept in the message's meta. Channels (broadcast only) and every other update type
 * are ignored.
 */
function normalizeMessage(m: TgMessage): NormalizedEventInput {
  const chat = m.chat;
  if (chat.type !== "private" && !isGroup(chat)) return { type: "ignored", reason: `Telegram ${chat.type} chats are not handled` };
  const attachments = mediaOf(m);
  const text = m.text ?? m.caption ?? "";
  if (!text && attachments.length === 0) return { type: "ignored", reason: "a Telegram message without text or media Parley can show (location, contact, poll…)" };
  const sender = m.from ? { id: String(m.from.id), name: nameOf(m.from) } : undefined;
  return {
    type: "message",
    thread: { kind: "dm", key: `contact:${chat.id}` },
    // The contact is the chat: a private chat's username is the person's, a public group's is the group's.
    contact: { externalId: String(chat.id), name: nameOf(chat) ?? nameOf(m.from), handle: chat.username ? `@${chat.username}` : undefined },
    message: {
      externalId: messageKey(chat.id, m.message_id),
      text,
      ...(m.reply_to_message ? { parentExternalId: messageKey(chat.id, m.reply_to_message.message_id) } : {}),
      ...(attachments.length ? { attachments } : {}),
      meta: {
        ...(isGroup(chat) && sender ? { sender } : {}),
        ...(text.startsWith("/") ? { command: text.slice(1).split(/[\s@]/)[0] } : {}),
      },
      occurredAt: iso(m.date),
    },
  };
}

function normalizeMembership(u: TgChatMember): NormalizedEventInput {
  const status = u.new_chat_member?.status;
  const contactExternalId = String(u.chat.id);
  const group = isGroup(u.chat);
  if (status === "kicked" || (group && status === "left")) {
    return { type: "contact.blocked", contactExternalId, blocked: true, reason: group ? REMOVED_FROM_GROUP : BLOCKED_REASON };
  }
  if (status === "member" || status === "administrator") {
    return { type: "contact.blocked", contactExternalId, blocked: false, reason: group ? ADDED_TO_GROUP : UNBLOCKED_REASON };
  }
  return { type: "ignored", reason: `bot membership changed to ${status ?? "an unknown status"}` };
}

/** One Update (exactly one optional field is set) to normalized events. Never throws for an unknown type. */
export function normalizeUpdate(update: TgUpdate): NormalizedEventInput[] {
  if (update.message) return [normalizeMessage(update.message)];
  if (update.edited_message) {
    const m = update.edited_message;
    return [{ type: "message.edited", externalId: messageKey(m.chat.id, m.message_id), text: m.text ?? m.caption ?? "", occurredAt: iso(m.edit_date ?? m.date) }];
  }
  if (update.my_chat_member) return [normalizeMembership(update.my_chat_member)];
  if (update.channel_post || update.edited_channel_post) return [{ type: "ignored", reason: "a post in a Telegram channel (broadcast, not a conversation)" }];
  const kind = Object.keys(update).find((k) => k !== "update_id") ?? "empty";
  return [{ type: "ignored", reason: `Telegram update of type ${kind}` }];
}
