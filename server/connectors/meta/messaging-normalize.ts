import type { NormalizedEventInput } from "../../../shared/schemas/normalized.js";

/** One item of `entry[].messaging[]`, as Messenger and Instagram send it (docs/platform-contracts.md §2.1, §4.1). */
export type MessagingItem = {
  sender?: { id?: string };
  recipient?: { id?: string };
  timestamp?: number;
  message?: {
    mid?: string;
    text?: string;
    is_echo?: boolean;
    is_deleted?: boolean;
    is_unsupported?: boolean;
    metadata?: string;
    quick_reply?: { payload?: string };
    reply_to?: { mid?: string; story?: { url?: string; id?: string } };
    attachments?: Array<{ type?: string; payload?: { url?: string } | null }>;
  };
  delivery?: { mids?: string[]; watermark?: number };
  read?: { watermark?: number; mid?: string };
  postback?: { mid?: string; title?: string; payload?: string };
  reaction?: unknown;
  [k: string]: unknown;
};

const iso = (ms: number | undefined) => (typeof ms === "number" && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined);

/**
 * A Messenger or Instagram DM event → normalized events. `accountId` is the Page or IG account id,
 * so that the contact is always the other side, whoever sent the message.
 */
export function normalizeMessaging(item: MessagingItem, accountId: string): NormalizedEventInput[] {
  const sender = item.sender?.id;
  const recipient = item.recipient?.id;
  const m = item.message;
  if (m) {
    if (!m.mid) return [{ type: "ignored", reason: "message without mid" }];
    if (m.is_deleted) return [{ type: "message.deleted", externalId: m.mid, occurredAt: iso(item.timestamp) }];
    const echo = Boolean(m.is_echo) || sender === accountId;
    const contactId = echo ? recipient : sender;
    if (!contactId) return [{ type: "ignored", reason: `message ${m.mid} names no customer` }];
    const attachments = (m.attachments ?? []).map((a) => ({ type: a.type ?? "unknown", url: a.payload?.url ?? null }));
    const meta: Record<string, unknown> = {};
    if (m.quick_reply?.payload) meta.quickReply = m.quick_reply.payload;
    if (m.reply_to?.story) meta.storyReply = m.reply_to.story;
    if (m.is_unsupported) meta.unsupported = true;
    return [
      {
        type: "message",
        thread: { kind: "dm", key: `contact:${contactId}` },
        contact: { externalId: contactId },
        message: {
          externalId: m.mid,
          text: m.text ?? (m.is_unsupported ? "(a message type Parley cannot show; open it in the platform's app)" : ""),
          direction: echo ? "out" : "in",
          // Our own message id, handed to Messenger as metadata when Parley sent it.
          ...(echo && m.metadata ? { ourMessageId: m.metadata } : {}),
          ...(m.reply_to?.mid ? { parentExternalId: m.reply_to.mid } : {}),
          ...(attachments.length ? { attachments } : {}),
          ...(Object.keys(meta).length ? { meta } : {}),
          occurredAt: iso(item.timestamp),
        },
      },
    ];
  }
  if (item.delivery) {
    const out: NormalizedEventInput[] = (item.delivery.mids ?? []).map((mid) => ({ type: "receipt", externalId: mid, status: "delivered" }));
    const before = iso(item.delivery.watermark);
    if (sender && before) out.push({ type: "receipt.watermark", contactExternalId: sender, status: "delivered", before });
    return out.length ? out : [{ type: "ignored", reason: "delivery without mids or watermark" }];
  }
  if (item.read) {
    // Instagram names the message seen; Messenger gives a watermark.
    if (item.read.mid) return [{ type: "receipt", externalId: item.read.mid, status: "read" }];
    const before = iso(item.read.watermark);
    if (sender && before) return [{ type: "receipt.watermark", contactExternalId: sender, status: "read", before }];
    return [{ type: "ignored", reason: "read without mid or watermark" }];
  }
  if (item.postback && sender) {
    // A tapped button reads, for the agent, like the customer typing its title.
    const p = item.postback;
    return [
      {
        type: "message",
        thread: { kind: "dm", key: `contact:${sender}` },
        contact: { externalId: sender },
        message: {
          externalId: p.mid ?? `postback:${sender}:${item.timestamp ?? ""}`,
          text: p.title ?? p.payload ?? "",
          meta: { postback: p.payload ?? null },
          occurredAt: iso(item.timestamp),
        },
      },
    ];
  }
  const kind = Object.keys(item).find((k) => !["sender", "recipient", "timestamp"].includes(k)) ?? "unknown";
  return [{ type: "ignored", reason: `messaging event "${kind}" is not handled` }];
}
