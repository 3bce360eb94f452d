import { downloadMedia } from "../../media/download.js";
import { sendParts } from "../send-parts.js";
import type { ChannelRuntime, ConnectorEnv, MediaFetch, MediaSource, OutboundAttachment, OutboundMessage, SendResult } from "../types.js";
import { graphCall, type MetaSecrets } from "./graph-client.js";
import type { MetaProduct } from "./graph-errors.js";

/**
 * Messenger and Instagram attachment URLs, and Page comment photos, are CDN links that need no token
 * (and expire after a while: the media job fetches them right after ingest).
 */
export function fetchMetaMedia(product: MetaProduct) {
  return async (channel: ChannelRuntime<unknown, MetaSecrets>, source: MediaSource, env: ConnectorEnv, opts: { maxBytes: number }): Promise<MediaFetch> => {
    if (!source.url) return { ok: false, retryable: false, reason: `${product} gave no link to this file.` };
    return downloadMedia(source.url, {}, { platform: product, maxBytes: opts.maxBytes, policy: env.targets(channel) });
  };
}

/** Messenger's attachment type for a file. */
const messengerType = (a: OutboundAttachment) => a.type;

/**
 * A DM with files: the text first (when there is any), then one message per file, as Messenger and
 * Instagram take one attachment per message. Messenger gets the bytes (multipart upload, so
 * Parley need not be reachable from Meta); Instagram fetches a signed link to the file.
 */
export function sendMetaFiles(
  product: MetaProduct,
  accountId: string,
  channel: ChannelRuntime<unknown, MetaSecrets>,
  msg: OutboundMessage,
  env: ConnectorEnv,
  opts: { metadata: boolean; sendText: (m: OutboundMessage) => Promise<SendResult>; head: Record<string, unknown> },
): Promise<SendResult> {
  const parts: Array<() => Promise<SendResult>> = [];
  if (msg.text) parts.push(() => opts.sendText({ ...msg, attachments: [] }));
  for (const a of msg.attachments) {
    parts.push(async () => {
      const message = {
        attachment: { type: messengerType(a), payload: product === "Facebook" ? { is_reusable: false } : { url: a.url } },
        ...(opts.metadata ? { metadata: msg.messageId } : {}),
      };
      let res;
      if (product === "Facebook") {
        const form = new FormData();
        for (const [k, v] of Object.entries(opts.head)) form.set(k, typeof v === "string" ? v : JSON.stringify(v));
        form.set("message", JSON.stringify(message));
        form.set("filedata", new Blob([new Uint8Array(await a.read())], { type: a.mimeType }), a.name);
        res = await graphCall(product, channel, { method: "POST", path: `/${accountId}/messages`, form }, env);
      } else {
        res = await graphCall(product, channel, { method: "POST", path: `/${accountId}/messages`, body: { ...opts.head, message } }, env);
      }
      if (!res.ok) return res;
      const mid = res.json.message_id;
      return { ok: true as const, externalId: typeof mid === "string" ? mid : undefined };
    });
  }
  return sendParts(parts, msg.partsSent);
}
