import type { NormalizedEventInput } from "../../../shared/schemas/normalized.js";
import { reasonFor, type WhatsappError } from "./whatsapp-errors.js";

/** The parts of a WhatsApp Cloud API webhook Parley reads (docs/platform-contracts.md §5.2, §5.3). */
type Media = { id?: string; caption?: string; mime_type?: string; filename?: string };
type WaMessage = {
  from?: string;
  id?: string;
  timestamp?: string;
  type?: string;
  text?: { body?: string };
  image?: Media;
  video?: Media;
  audio?: Media;
  document?: Media;
  sticker?: Media;
  interactive?: { type?: string; button_reply?: { id?: string; title?: string }; list_reply?: { id?: string; title?: string; description?: string } };
  button?: { text?: string; payload?: string };
  location?: { latitude?: number; longitude?: number; name?: string; address?: string };
  contacts?: Array<{ name?: { formatted_name?: string }; phones?: Array<{ phone?: string }> }>;
  context?: { from?: string; id?: string; forwarded?: boolean; frequently_forwarded?: boolean };
  referral?: Record<string, unknown>;
  errors?: WhatsappError[];
};
type WaStatus = { id?: string; status?: string; timestamp?: string; recipient_id?: string; errors?: WhatsappError[] };
type WaValue = {
  metadata?: { phone_number_id?: string };
  contacts?: Array<{ wa_id?: string; profile?: { name?: string } }>;
  messages?: WaMessage[];
  statuses?: WaStatus[];
  errors?: WhatsappError[];
};
type WaPayload = { object?: string; entry?: Array<{ id?: string; changes?: Array<{ field?: string; value?: WaValue }> }> };

const mediaTypes = new Set(["image", "video", "audio", "document", "sticker"]);
const statusMap: Record<string, "sent" | "delivered" | "read" | "failed"> = {
  sent: "sent",
  delivered: "delivered",
  read: "read",
  // A voice message was played: it was read.
  played: "read",
  failed: "failed",
};

const isoOf = (seconds: string | undefined) => {
  const n = Number(seconds);
  return seconds && Number.isFinite(n) ? new Date(n * 1000).toISOString() : undefined;
};

/** Turns the channel's part of a WhatsApp webhook into normalized events. Never throws on an unknown type. */
export function normalizeWhatsapp(payload: string, phoneNumberId: string | null): NormalizedEventInput[] {
  const json = JSON.parse(payload) as WaPayload;
  const out: NormalizedEventInput[] = [];
  for (const entry of json.entry ?? []) {
    for (const change of entry.changes ?? []) {
      const value = change.value ?? {};
      if (change.field !== "messages") {
        out.push({ type: "ignored", reason: `WhatsApp ${change.field ?? "unknown"} notification: not handled by Parley` });
        continue;
      }
      // The shared Meta route already routes by phone number; this guards a misrouted part.
      const phone = value.metadata?.phone_number_id;
      if (phoneNumberId && phone && phone !== phoneNumberId) {
        out.push({ type: "ignored", reason: `WhatsApp notification for another phone number (${phone})` });
        continue;
      }
      for (const m of value.messages ?? []) out.push(messageEvent(m, value));
      for (const s of value.statuses ?? []) out.push(statusEvent(s));
      for (const e of value.errors ?? []) out.push({ type: "ignored", reason: `WhatsApp reported an error: ${reasonFor(e)}` });
      if (!value.messages?.length && !value.statuses?.length && !value.errors?.length) {
        out.push({ type: "ignored", reason: "WhatsApp notification with no messages or statuses" });
      }
    }
  }
  if (out.length === 0) out.push({ type: "ignored", reason: "WhatsApp delivery with no changes" });
  return out;
}

/** The text an agent sees for a customer's message, or null when Parley does not act on it. */
type Attachment = { type: string; ref?: string; mimeType?: string; name?: string };
/** WhatsApp's media types in Parley's words (a document is a file). */
const attachmentType: Record<string, string> = { image: "image", video: "video", audio: "audio", document: "file", sticker: "sticker" };

function contentOf(m: WaMessage): { text: string; attachments?: Attachment[]; meta?: Record<string, unknown> } | string {
  const type = m.type ?? "unknown";
  if (type === "text") return { text: m.text?.body ?? "" };
  if (mediaTypes.has(type)) {
    const media = (m as Record<string, unknown>)[type] as Media | undefined;
    // The media itself needs an authenticated download (GET /{media-id}, then its URL): the media job does it.
    return {
      text: media?.caption ?? "",
      attachments: [
        {
          type: attachmentType[type] ?? type,
          ...(media?.id ? { ref: media.id } : {}),
          ...(media?.mime_type ? { mimeType: media.mime_type.split(";")[0]!.trim() } : {}),
          ...(media?.filename ? { name: media.filename } : {}),
        },
      ],
    };
  }
  if (type === "interactive") {
    const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
    if (!reply?.title) return `WhatsApp interactive ${m.interactive?.type ?? ""} message without a reply`.replace("  ", " ");
    return { text: reply.title, meta: { reply: { id: reply.id, type: m.interactive?.type } } };
  }
  if (type === "button") return { text: m.button?.text ?? m.button?.payload ?? "", meta: { reply: { payload: m.button?.payload, type: "button" } } };
  if (type === "location" && m.location) {
    const { latitude, longitude, name, address } = m.location;
    const label = [name, address].filter(Boolean).join(", ");
    return { text: `${label ? label + " " : ""}(location ${latitude}, ${longitude})`, attachments: [{ type: "location" }] };
  }
  if (type === "contacts" && m.contacts?.length) {
    const cards = m.contacts.map((c) => [c.name?.formatted_name, ...(c.phones ?? []).map((p) => p.phone)].filter(Boolean).join(" "));
    return { text: `Shared contact: ${cards.join("; ")}`, attachments: [{ type: "contacts" }] };
  }
  if (type === "reaction") return "WhatsApp reaction: not stored as a message";
  if (type === "system") return "WhatsApp system message (e.g. the customer changed number): not stored";
  if (type === "unsupported" || m.errors?.length) {
    return `WhatsApp message type not supported${m.errors?.[0] ? `: ${reasonFor(m.errors[0])}` : ""}`;
  }
  return `WhatsApp message of type ${type}: not handled by Parley`;
}

function messageEvent(m: WaMessage, value: WaValue): NormalizedEventInput {
  if (!m.from || !m.id) return { type: "ignored", reason: "WhatsApp message without sender or id" };
  const content = contentOf(m);
  if (typeof content === "string") return { type: "ignored", reason: content };
  const profile = value.contacts?.find((c) => c.wa_id === m.from) ?? (value.contacts?.length === 1 ? value.contacts[0] : undefined);
  const meta: Record<string, unknown> = { ...content.meta };
  if (m.context?.forwarded || m.context?.frequently_forwarded) meta.forwarded = true;
  if (m.referral) meta.referral = m.referral;
  return {
    type: "message",
    thread: { kind: "dm", key: `contact:${m.from}` },
    contact: {
      externalId: m.from,
      ...(profile?.profile?.name ? { name: profile.profile.name } : {}),
      // The wa_id is the customer's number in international form, without the plus.
      ...(profile?.wa_id && /^\d{4,20}$/.test(profile.wa_id) ? { handle: `+${profile.wa_id}` } : {}),
    },
    message: {
      externalId: m.id,
      text: content.text,
      ...(m.context?.id ? { parentExternalId: m.context.id } : {}),
      ...(content.attachments ? { attachments: content.attachments } : {}),
      ...(Object.keys(meta).length ? { meta } : {}),
      ...(isoOf(m.timestamp) ? { occurredAt: isoOf(m.timestamp) } : {}),
    },
  };
}

function statusEvent(s: WaStatus): NormalizedEventInput {
  const status = s.status ? statusMap[s.status] : undefined;
  if (!s.id || !status) return { type: "ignored", reason: `WhatsApp status ${s.status ?? "(none)"}: not handled by Parley` };
  if (status !== "failed") return { type: "receipt", externalId: s.id, status };
  const reason = s.errors?.length ? s.errors.map(reasonFor).join(" ") : "WhatsApp could not deliver this message.";
  return { type: "receipt", externalId: s.id, status, reason };
}
