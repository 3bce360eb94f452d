import { callPlatform, jsonRequest } from "../platform-http.js";
import { createHash } from "node:crypto";
import type { NormalizedEventInput } from "../../../shared/schemas/normalized.js";
import type { Connector, SendResult } from "../types.js";
import { fetchReview, locationNameOf, replyFailure, starsOf, type GbpReview, type GbpSecrets, type GbpSettings } from "./gbp-api.js";
import { decodeNotification, parseEnvelope } from "./notification.js";

/** A reply's comment may hold 4096 bytes, as integrations cite it (docs/platform-contracts.md §7.3). */
const MAX_REPLY_BYTES = 4096;
const REVIEW_TYPES = new Set(["NEW_REVIEW", "UPDATED_REVIEW"]);

const reviewIdOf = (r: GbpReview) => r.reviewId ?? r.name.slice(r.name.lastIndexOf("/") + 1);

/**
 * The id of a reply on a review, the same whether Parley sent it (send's answer) or it comes back on a
 * fetched review: the ingest then matches the echo to Parley's own message instead of showing it twice.
 * Based on the text, since Google keeps one reply per review and its updateTime differs between calls.
 */
export const replyExternalId = (reviewId: string, comment: string) =>
  `reply:${reviewId}:${createHash("sha256").update(comment).digest("hex").slice(0, 16)}`;

function reviewEvents(review: GbpReview, s: GbpSettings, type: string): NormalizedEventInput[] {
  const reviewId = reviewIdOf(review);
  const rating = starsOf(review);
  const text = review.comment ?? ""; // a rating-only review has no comment
  const anonymous = review.reviewer?.isAnonymous || !review.reviewer?.displayName;
  const reviewer = anonymous ? "Anonymous Google user" : review.reviewer!.displayName!;
  const out: NormalizedEventInput[] = [];
  // Google adds the reply to the review and bumps its updateTime: that is not the customer editing.
  const changedByReply = Boolean(review.reviewReply?.updateTime && review.reviewReply.updateTime === review.updateTime);
  if (type === "UPDATED_REVIEW" && !changedByReply) {
    // Applies when the review is stored; otherwise a no-op, and the message below creates it.
    out.push({ type: "message.edited", externalId: reviewId, text, ...(rating ? { rating } : {}), occurredAt: review.updateTime });
  }
  const thread = { kind: "review" as const, key: `review:${reviewId}`, context: { ...(rating ? { rating } : {}), reviewer, locationName: locationNameOf(s) } };
  // Google gives no stable reviewer id, so each review is its own contact.
  // An anonymous reviewer's picture is Google's placeholder: initials say more.
  const contact = { externalId: `gbp-review:${reviewId}`, name: reviewer, ...(anonymous ? {} : { avatarUrl: review.reviewer?.profilePhotoUrl }) };
  out.push({
    type: "message",
    thread,
    contact,
    message: { externalId: reviewId, text, ...(rating ? { rating } : {}), occurredAt: review.createTime, meta: { reviewName: review.name } },
  });
  const reply = review.reviewReply?.comment;
  if (reply) {
    out.push({
      type: "message",
      thread,
      contact,
      message: { externalId: replyExternalId(reviewId, reply), text: reply, direction: "out", occurredAt: review.reviewReply?.updateTime },
    });
  }
  return out;
}

export const googleReviewsConnector: Connector<GbpSettings, GbpSecrets> = {
  platform: "google_reviews",
  label: "Google reviews",
  capabilities: { surfaces: { review: ["reply"] }, moderation: {}, replyWindowHours: null, maxLength: MAX_REPLY_BYTES, lengthUnit: "bytes" },
  secretFields: ["accessToken", "webhookToken"],
  accountIdOf: (c) => (c.accountId && c.locationId ? `${String(c.accountId)}/${String(c.locationId)}` : null),
  // GBP's default quota is commonly cited as 300 requests per minute per project (docs/platform-contracts.md §7.3).
  rateLimits: [{ limit: 300, windowSeconds: 60 }],
  setupSteps: ({ webhookUrl, settings }) => [
    "In Google Cloud, create a Pub/Sub topic and grant pubsub.topics.publish on it to mybusiness-api-pubsub@system.gserviceaccount.com.",
    `Create a push subscription on that topic to ${webhookUrl}, replacing {webhookToken} with this channel's webhook token (shown once when the channel was created; keep the URL secret).` +
      (settings.pushAudience
        ? ` Enable authentication with audience ${settings.pushAudience}${settings.pushServiceAccount ? ` and service account ${settings.pushServiceAccount}` : ""}: both the token in the URL and Google's signed token are checked.`
        : " Recommended as well: enable authentication and set the same audience as pushAudience on this channel."),
    `PATCH accounts/${settings.accountId}/notificationSetting with your topic and notificationTypes NEW_REVIEW and UPDATED_REVIEW.`,
    "Use an OAuth access token with the business.manage scope as accessToken; replace it here when it expires.",
  ],

  async normalize(payload, channel, env) {
    const envelope = parseEnvelope(payload);
    if ("error" in envelope) throw new Error(envelope.error);
    const n = decodeNotification(envelope.data);
    if ("error" in n) throw new Error(n.error);
    if (!REVIEW_TYPES.has(n.notificationType)) return [{ type: "ignored", reason: `Google notification ${n.notificationType} is not about a review` }];
    if (!n.reviewName) throw new Error(`${n.notificationType} notification has no review name`);
    const ours = locationNameOf(channel.settings);
    const location = n.locationName ?? n.reviewName.slice(0, n.reviewName.indexOf("/reviews/"));
    if (location !== ours || !n.reviewName.startsWith(`${ours}/reviews/`)) {
      return [{ type: "ignored", reason: `review of another location (${location}); this channel is ${ours}` }];
    }
    const review = await fetchReview(env.baseUrl(channel), channel.secrets.accessToken, n.reviewName, env.config.OUTBOUND_TIMEOUT_MS, env.targets(channel));
    return reviewEvents(review, channel.settings, n.notificationType);
  },

  async send(channel, msg, env): Promise<SendResult> {
    if (msg.kind !== "review" || msg.surface !== "reply" || !msg.rootExternalId) {
      return { ok: false, retryable: false, reason: "Google reviews can only be answered with a public reply to the review." };
    }
    const bytes = Buffer.byteLength(msg.text, "utf8");
    if (bytes > MAX_REPLY_BYTES) {
      return { ok: false, retryable: false, reason: `The reply is ${bytes} bytes; Google accepts at most ${MAX_REPLY_BYTES}. Shorten it and send again.` };
    }
    const reviewName = `${locationNameOf(channel.settings)}/reviews/${msg.rootExternalId}`;
    const reply = await callPlatform(
      `${env.baseUrl(channel)}/v4/${reviewName}/reply`,
      jsonRequest("PUT", channel.secrets.accessToken, { comment: msg.text }),
      env.config.OUTBOUND_TIMEOUT_MS,
      env.targets(channel),
    );
    if (!reply.reached) return { ok: false, retryable: true, reason: `Google did not answer (${reply.reason}); Parley will try again.` };
    if (!reply.ok) return replyFailure(reply.status, reply.text, reply.headers.get("retry-after"));
    // a 2xx without the ReviewReply body still means the reply is there
    const answered = (reply.json as { comment?: unknown } | null)?.comment;
    const comment = typeof answered === "string" ? answered : msg.text;
    return { ok: true, externalId: replyExternalId(msg.rootExternalId, comment) };
  },
};
