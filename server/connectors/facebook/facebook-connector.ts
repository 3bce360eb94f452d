import type { Connector, SendResult } from "../types.js";
import { normalizeEnvelope } from "../meta/envelope.js";
import { withProfileNames } from "../meta/profile-names.js";
import { withPostContext } from "../meta/post-context.js";
import { graphCall, type MetaSecrets } from "../meta/graph-client.js";
import { idOf, sendMessengerStyle } from "../meta/meta-send.js";
import { fetchMetaMedia } from "../meta/meta-media.js";
import { normalizeFeedChange } from "./feed-normalize.js";
import { attachmentRules } from "../attachment-rules.js";

export type FacebookSettings = { pageId: string; verifyToken: string; humanAgentTag?: boolean };

/**
 * A Facebook Page: Messenger DMs and comments on the Page's posts, both through the shared Meta
 * webhook (/webhooks/meta), routed here by Page id.
 */
export const facebookConnector: Connector<FacebookSettings, MetaSecrets> = {
  platform: "facebook",
  label: "Facebook Page",
  capabilities: {
    surfaces: { dm: ["reply"], comment: ["reply", "private_reply"] },
    moderation: { comment: ["hide", "unhide", "delete"] },
    replyWindowHours: 24,
    humanAgentWindowHours: 168,
    privateReplyDays: 7,
    maxLength: 2000,
    attachments: { dm: attachmentRules.messenger, comment: attachmentRules.facebookComment },
  },
  secretFields: ["appSecret", "accessToken"],
  accountIdOf: (config) => (typeof config.pageId === "string" ? config.pageId.trim() : null),
  // Send API: 300 calls/s per Page for text (docs/platform-contracts.md §2.5); stay under it.
  rateLimits: [{ limit: 250, windowSeconds: 1 }],
  setupSteps: ({ webhookUrl, settings }) => [
    `In your Meta app, under Webhooks → Page, set the callback URL to ${webhookUrl} and the verify token to "${settings.verifyToken}".`,
    "Subscribe the fields messages, message_echoes, message_deliveries, message_reads, messaging_postbacks and feed.",
    `Subscribe the app to Page ${settings.pageId}: POST /${settings.pageId}/subscribed_apps?subscribed_fields=feed,messages,message_echoes,message_deliveries,message_reads.`,
    "Use a long-lived Page access token with pages_messaging, pages_manage_engagement, pages_manage_metadata and pages_read_engagement.",
  ],

  async normalize(payload, channel, env) {
    const events = await withProfileNames("Facebook", normalizeEnvelope(payload, channel.settings.pageId, normalizeFeedChange), channel, env);
    return withPostContext("Facebook", events, channel, env);
  },

  async send(channel, msg, env): Promise<SendResult> {
    const pageId = channel.settings.pageId;
    if (msg.kind === "dm" || msg.surface === "private_reply") {
      return sendMessengerStyle("Facebook", pageId, channel, msg, env, { metadata: true, requireMessagingType: true });
    }
    if (msg.kind === "comment") {
      // Facebook threads comments two levels deep: answering the root keeps the reply in the thread.
      const target = msg.rootExternalId ?? msg.replyToExternalId;
      if (!target) return { ok: false, retryable: false, reason: "This conversation has no comment to reply to." };
      // One photo at most (the rules say so): Facebook fetches it from its signed link.
      const photo = msg.attachments[0];
      const body = { ...(msg.text ? { message: msg.text } : {}), ...(photo ? { attachment_url: photo.url } : {}) };
      const res = await graphCall("Facebook", channel, { method: "POST", path: `/${target}/comments`, body }, env);
      return res.ok ? { ok: true, externalId: idOf(res.json) } : res;
    }
    return { ok: false, retryable: false, reason: `Facebook conversations of kind "${msg.kind}" cannot be answered from Parley.` };
  },

  fetchMedia: fetchMetaMedia("Facebook"),

  async moderate(channel, req, env) {
    const res =
      req.action === "delete"
        ? await graphCall("Facebook", channel, { method: "DELETE", path: `/${req.externalId}` }, env)
        : await graphCall("Facebook", channel, { method: "POST", path: `/${req.externalId}`, query: { is_hidden: String(req.action === "hide") } }, env);
    return res.ok ? { ok: true } : res;
  },
};
