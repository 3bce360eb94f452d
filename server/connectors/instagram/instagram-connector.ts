import type { Connector, SendResult } from "../types.js";
import { normalizeEnvelope } from "../meta/envelope.js";
import { withProfileNames } from "../meta/profile-names.js";
import { withPostContext } from "../meta/post-context.js";
import { graphCall, type MetaSecrets } from "../meta/graph-client.js";
import { idOf, sendMessengerStyle } from "../meta/meta-send.js";
import { fetchMetaMedia } from "../meta/meta-media.js";
import { normalizeInstagramChange } from "./comments-normalize.js";
import { attachmentRules } from "../attachment-rules.js";

export type InstagramSettings = { igUserId: string; verifyToken: string; humanAgentTag?: boolean };

/** An Instagram professional account: DMs and comments, through the shared Meta webhook, routed by IG account id. */
export const instagramConnector: Connector<InstagramSettings, MetaSecrets> = {
  platform: "instagram",
  label: "Instagram",
  capabilities: {
    surfaces: { dm: ["reply"], comment: ["reply", "private_reply"] },
    moderation: { comment: ["hide", "unhide"] },
    replyWindowHours: 24,
    humanAgentWindowHours: 168,
    privateReplyDays: 7,
    maxLength: 1000,
    attachments: { dm: attachmentRules.instagram },
  },
  secretFields: ["appSecret", "accessToken"],
  accountIdOf: (config) => (typeof config.igUserId === "string" ? config.igUserId.trim() : null),
  // The docs say 100 or 300 calls/s per account (docs/platform-contracts.md §11): keep under the lower one.
  rateLimits: [{ limit: 90, windowSeconds: 1 }],
  setupSteps: ({ webhookUrl, settings }) => [
    `In your Meta app, under Webhooks → Instagram, set the callback URL to ${webhookUrl} and the verify token to "${settings.verifyToken}".`,
    "Subscribe the fields messages, messaging_seen, comments, live_comments and mentions.",
    `Subscribe the app to account ${settings.igUserId}: POST /${settings.igUserId}/subscribed_apps?subscribed_fields=messages,comments.`,
    "Use a token with instagram_business_manage_messages and instagram_business_manage_comments (or instagram_manage_* with Facebook Login).",
  ],

  async normalize(payload, channel, env) {
    const events = await withProfileNames("Instagram", normalizeEnvelope(payload, channel.settings.igUserId, normalizeInstagramChange), channel, env);
    return withPostContext("Instagram", events, channel, env);
  },

  async send(channel, msg, env): Promise<SendResult> {
    const igId = channel.settings.igUserId;
    if (msg.kind === "dm" || msg.surface === "private_reply") {
      return sendMessengerStyle("Instagram", igId, channel, msg, env, { metadata: false, requireMessagingType: false });
    }
    if (msg.kind === "comment") {
      const target = msg.rootExternalId ?? msg.replyToExternalId;
      if (!target) return { ok: false, retryable: false, reason: "This conversation has no comment to reply to." };
      const res = await graphCall("Instagram", channel, { method: "POST", path: `/${target}/replies`, query: { message: msg.text } }, env);
      return res.ok ? { ok: true, externalId: idOf(res.json) } : res;
    }
    return { ok: false, retryable: false, reason: `Instagram conversations of kind "${msg.kind}" cannot be answered from Parley.` };
  },

  fetchMedia: fetchMetaMedia("Instagram"),

  async moderate(channel, req, env) {
    if (req.action === "delete") return { ok: false, retryable: false, reason: "Instagram comments can only be hidden from Parley, not deleted." };
    const res = await graphCall("Instagram", channel, { method: "POST", path: `/${req.externalId}`, query: { hide: String(req.action === "hide") } }, env);
    return res.ok ? { ok: true } : res;
  },
};
