import type { ChannelRuntime, ConnectorEnv, OutboundMessage, SendResult } from "../types.js";
import { xFailure } from "./x-errors.js";

export type XSettings = { userId: string; selfServe?: boolean; apiBaseUrl?: string };
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

  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${channel.secrets.accessToken}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(env.config.OUTBOUND_TIMEOUT_MS),
    });
  } catch (err) {
    const timeout = (err as Error).name === "TimeoutError";
    return { ok: false, retryable: true, reason: `X could not be reached: ${timeout ? `no answer within ${env.config.OUTBOUND_TIMEOUT_MS} ms` : (err as Error).message}` };
  }
  const text = await res.text().catch(() => "");
  if (!res.ok) return xFailure(res.status, res.headers, text, what);
  let data: { dm_event_id?: unknown; id?: unknown } | undefined;
  try {
    data = (JSON.parse(text) as { data?: typeof data }).data;
  } catch {
    // a 2xx we cannot read still means X accepted it
  }
  const id = what === "dm" ? data?.dm_event_id : data?.id;
  return { ok: true, externalId: typeof id === "string" ? id : undefined };
}
