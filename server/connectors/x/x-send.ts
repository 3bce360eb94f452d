import { callPlatform, jsonRequest } from "../platform-http.js";
import type { ChannelRuntime, ConnectorEnv, OutboundMessage, SendResult } from "../types.js";
import { xFailure } from "./x-errors.js";

export type XSettings = { userId: string; selfServe?: boolean };
export type XSecrets = { consumerSecret: string; accessToken: string };

/** DMs go to the customer's DM conversation; mention replies are posts answering the customer's latest post. */
export async function sendToX(channel: ChannelRuntime<XSettings, XSecrets>, msg: OutboundMessage, env: ConnectorEnv): Promise<SendResult> {
  const base = env.baseUrl(channel);
  let url: string;
  let body: unknown;
  let what: "dm" | "reply";
  if (msg.kind === "dm") {
    if (!msg.contactExternalId) return { ok: false, retryable: false, reason: "This conversation has no X user to message." };
    url = `${base}/2/dm_conversations/with/${encodeURIComponent(msg.contactExternalId)}/messages`;
    body = { text: msg.text };
    what = "dm";
  } else if (msg.kind === "mention") {
    const target = msg.replyToExternalId ?? msg.rootExternalId;
    if (!target) return { ok: false, retryable: false, reason: "There is no X post to reply to in this conversation." };
    url = `${base}/2/tweets`;
    body = { text: msg.text, reply: { in_reply_to_tweet_id: target } };
    what = "reply";
  } else {
    return { ok: false, retryable: false, reason: `X has no ${msg.kind} conversations to reply to.` };
  }

  const reply = await callPlatform(url, jsonRequest("POST", channel.secrets.accessToken, body), env.config.OUTBOUND_TIMEOUT_MS, env.targets(channel));
  if (!reply.reached) return { ok: false, retryable: true, reason: `X could not be reached: ${reply.reason}` };
  if (!reply.ok) return xFailure(reply.status, reply.headers, reply.text, what);
  // a 2xx we cannot read still means X accepted it
  const data = (reply.json as { data?: { dm_event_id?: unknown; id?: unknown } } | null)?.data;
  const id = what === "dm" ? data?.dm_event_id : data?.id;
  return { ok: true, externalId: typeof id === "string" ? id : undefined };
}
