import type { ChannelRuntime, ConnectorEnv, OutboundMessage, SendResult } from "../types.js";
import { graphCall, type MetaSecrets } from "./graph-client.js";
import type { MetaProduct } from "./graph-errors.js";
import { sendMetaFiles } from "./meta-media.js";

type Settings = { humanAgentTag?: boolean };

/** Where a DM or private reply goes: the Page's or the IG account's `messages` edge. */
export async function sendMessengerStyle(
  product: MetaProduct,
  accountId: string,
  channel: ChannelRuntime<Settings, MetaSecrets>,
  msg: OutboundMessage,
  env: ConnectorEnv,
  opts: { metadata: boolean; requireMessagingType: boolean },
): Promise<SendResult> {
  let body: Record<string, unknown>;
  if (msg.surface === "private_reply") {
    const commentId = msg.rootExternalId ?? msg.replyToExternalId;
    if (!commentId) return { ok: false, retryable: false, reason: "This conversation has no comment to answer privately." };
    // Metadata here too: Messenger echoes the private reply into the DM thread, and it must match this message.
    body = { recipient: { comment_id: commentId }, message: { text: msg.text, ...(opts.metadata ? { metadata: msg.messageId } : {}) } };
  } else {
    if (!msg.contactExternalId) return { ok: false, retryable: false, reason: "This conversation has no customer id to send to." };
    if (msg.humanAgentTag && channel.settings.humanAgentTag === false) {
      return {
        ok: false,
        retryable: false,
        reason: `More than 24 hours since the customer's last message, and the human-agent tag is off for this channel: ${product} would refuse. Wait for the customer to write again.`,
      };
    }
    const type = msg.humanAgentTag ? { messaging_type: "MESSAGE_TAG", tag: "HUMAN_AGENT" } : opts.requireMessagingType ? { messaging_type: "RESPONSE" } : {};
    if (msg.attachments.length) {
      return sendMetaFiles(product, accountId, channel, msg, env, {
        metadata: opts.metadata,
        head: { recipient: { id: msg.contactExternalId }, ...type },
        sendText: (m) => sendMessengerStyle(product, accountId, channel, m, env, opts),
      });
    }
    // Messenger hands metadata back in the echo, which lets Parley match its own message exactly.
    body = { recipient: { id: msg.contactExternalId }, ...type, message: { text: msg.text, ...(opts.metadata ? { metadata: msg.messageId } : {}) } };
  }
  const res = await graphCall(product, channel, { method: "POST", path: `/${accountId}/messages`, body }, env);
  if (!res.ok) return res;
  const mid = res.json.message_id;
  return { ok: true, externalId: typeof mid === "string" ? mid : undefined };
}

export const idOf = (json: Record<string, unknown>) => (typeof json.id === "string" ? json.id : undefined);
