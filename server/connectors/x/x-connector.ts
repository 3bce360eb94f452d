import type { Connector } from "../types.js";
import { normalizeXActivity, type XActivity } from "./x-normalize.js";
import { sendToX, type XSecrets, type XSettings } from "./x-send.js";
import { downloadMedia } from "../../media/download.js";

/**
 * X (Twitter) through the Account Activity webhooks: direct messages and posts mentioning the account.
 *
 * Limits: a post holds 280 characters, a DM 10,000. X allows 15 DMs and (on the stricter reading
 * of its docs) 100 posts per 15 minutes per user.
 */
export const xConnector: Connector<XSettings, XSecrets> = {
  platform: "x",
  label: "X",
  capabilities: { surfaces: { dm: ["reply"], mention: ["reply"] }, moderation: {}, replyWindowHours: null, maxLength: 280, lengthUnit: "weighted", maxLengthByKind: { dm: 10_000 }, lengthUnitByKind: { dm: "characters" } },
  secretFields: ["consumerSecret", "accessToken"],
  accountIdOf: (config) => (typeof config.userId === "string" ? config.userId : null),
  rateLimits: [
    { limit: 15, windowSeconds: 900, kinds: ["dm"] },
    { limit: 100, windowSeconds: 900, kinds: ["mention"] },
  ],
  setupSteps: ({ webhookUrl, settings }) => [
    `In the X developer portal, register the webhook ${webhookUrl} (POST /2/webhooks). X checks it with a CRC request that Parley answers with the consumer secret. This URL is this X app's own: every channel of the same app shows the same one.`,
    `Subscribe the account ${settings.userId ?? "(user id)"} to the webhook (Account Activity subscription) with the account's user token.`,
    "The access token must be a user token with dm.read, dm.write, tweet.read, tweet.write and users.read.",
    settings.selfServe === false
      ? "Enterprise plan: replies to any post are allowed."
      : "Self-serve plan: X only allows replies to posts that mention the account or quote it.",
  ],

  async normalize(payload) {
    return normalizeXActivity(JSON.parse(payload) as XActivity);
  },

  send: sendToX,

  /**
   * Post media is public (pbs.twimg.com, video.twimg.com); DM media (ton.twitter.com) needs the
   * account's user token, sent as the bearer, and only ever to X's own hosts. X may still refuse it:
   * then the agent reads why.
   */
  async fetchMedia(channel, source, env, opts) {
    if (!source.url) return { ok: false, retryable: false, reason: "X gave no link to this file." };
    const url = new URL(source.url);
    const xHost = url.host === new URL(env.baseUrl(channel)).host || /(^|\.)(twitter\.com|x\.com|twimg\.com)$/.test(url.hostname);
    return downloadMedia(source.url, xHost ? { headers: { authorization: `Bearer ${channel.secrets.accessToken}` } } : {}, { platform: "X", maxBytes: opts.maxBytes, policy: env.targets(channel) });
  },
};
