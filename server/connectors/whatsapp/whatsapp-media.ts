import { downloadMedia } from "../../media/download.js";
import { callPlatform, jsonRequest } from "../platform-http.js";
import { sendParts } from "../send-parts.js";
import type { ChannelRuntime, ConnectorEnv, MediaFetch, MediaSource, OutboundAttachment, OutboundMessage, SendResult } from "../types.js";
import { sendFailureOf } from "./whatsapp-errors.js";
import type { WhatsappSecrets, WhatsappSettings } from "./whatsapp-send.js";

type Channel = ChannelRuntime<WhatsappSettings, WhatsappSecrets>;

/** A caption is at most 1,024 characters; audio takes none. */
const CAPTION_MAX = 1024;

/**
 * Inbound media: `GET /{media-id}` answers a short-lived URL, which is downloaded with the same
 * token (CONTRACTS §5.2). The URL is never stored: it is only good for minutes.
 */
export async function fetchWhatsappMedia(channel: Channel, source: MediaSource, env: ConnectorEnv, opts: { maxBytes: number }): Promise<MediaFetch> {
  if (!source.ref) return { ok: false, retryable: false, reason: "WhatsApp gave no media id for this file." };
  const token = channel.secrets.accessToken;
  const info = await callPlatform(`${env.baseUrl(channel)}/${encodeURIComponent(source.ref)}`, jsonRequest("GET", token), env.config.OUTBOUND_TIMEOUT_MS, env.targets(channel));
  if (!info.reached) return { ok: false, retryable: true, reason: `WhatsApp could not be reached to fetch the file (${info.reason}).` };
  const json = (info.json ?? {}) as { url?: string; file_size?: number | string; error?: { message?: string } };
  if (!info.ok || !json.url) {
    const retryable = info.status >= 500 || info.status === 429;
    // Media ids expire (about 30 days) and are refused once the customer deletes the message.
    return { ok: false, retryable, reason: `WhatsApp did not hand over the file${json.error?.message ? `: ${json.error.message}` : ` (HTTP ${info.status})`}.` };
  }
  return downloadMedia(json.url, { headers: { authorization: `Bearer ${token}` } }, { platform: "WhatsApp", maxBytes: opts.maxBytes, policy: env.targets(channel) });
}

const mediaKind = (a: OutboundAttachment) => (a.type === "file" ? "document" : a.type);

/** Uploads one file (`POST /{phone-number-id}/media`) and answers its media id. */
async function uploadMedia(channel: Channel, a: OutboundAttachment, env: ConnectorEnv): Promise<{ ok: true; id: string } | SendResult> {
  const form = new FormData();
  form.set("messaging_product", "whatsapp");
  form.set("type", a.mimeType);
  form.set("file", new Blob([new Uint8Array(await a.read())], { type: a.mimeType }), a.name);
  const url = `${env.baseUrl(channel)}/${encodeURIComponent(channel.settings.phoneNumberId)}/media`;
  const reply = await callPlatform(url, { method: "POST", headers: { authorization: `Bearer ${channel.secrets.accessToken}` }, body: form }, Math.max(env.config.OUTBOUND_TIMEOUT_MS, 60_000), env.targets(channel));
  if (!reply.reached) return { ok: false, retryable: true, reason: `WhatsApp could not be reached to upload ${a.name}: ${reply.reason}. Parley will try again.` };
  if (!reply.ok) return sendFailureOf(reply.status, reply.json, reply.headers);
  const id = (reply.json as { id?: unknown } | null)?.id;
  if (typeof id !== "string") return { ok: false, retryable: true, reason: "WhatsApp accepted the upload without a media id; Parley will try again." };
  return { ok: true, id };
}

/**
 * A reply with files: each file is uploaded, then sent as its own media message. The text rides as
 * the first file's caption when it fits; otherwise (audio, or a long text) it goes first on its own.
 */
export function sendWhatsappFiles(channel: Channel, msg: OutboundMessage, env: ConnectorEnv, sendText: (m: OutboundMessage) => Promise<SendResult>, head: Record<string, unknown>) {
  const first = msg.attachments[0]!;
  const captioned = Boolean(msg.text) && first.type !== "audio" && msg.text.length <= CAPTION_MAX;
  const parts: Array<() => Promise<SendResult>> = [];
  if (msg.text && !captioned) parts.push(() => sendText({ ...msg, attachments: [] }));
  for (const [i, a] of msg.attachments.entries()) {
    parts.push(async () => {
      const uploaded = await uploadMedia(channel, a, env);
      if (!("id" in uploaded)) return uploaded;
      const kind = mediaKind(a);
      const body = {
        ...head,
        type: kind,
        [kind]: { id: uploaded.id, ...(i === 0 && captioned ? { caption: msg.text } : {}), ...(kind === "document" ? { filename: a.name } : {}) },
      };
      const url = `${env.baseUrl(channel)}/${encodeURIComponent(channel.settings.phoneNumberId)}/messages`;
      const reply = await callPlatform(url, jsonRequest("POST", channel.secrets.accessToken, body), env.config.OUTBOUND_TIMEOUT_MS, env.targets(channel));
      if (!reply.reached) return { ok: false, retryable: true, reason: `WhatsApp could not be reached: ${reply.reason}. Parley will try again.` };
      if (!reply.ok) return sendFailureOf(reply.status, reply.json, reply.headers);
      const id = (reply.json as { messages?: Array<{ id?: unknown }> } | null)?.messages?.[0]?.id;
      return { ok: true as const, ...(typeof id === "string" ? { externalId: id } : {}) };
    });
  }
  return sendParts(parts, msg.partsSent);
}
