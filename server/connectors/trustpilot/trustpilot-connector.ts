import { callPlatform, jsonRequest } from "../platform-http.js";
import { createHash } from "node:crypto";
import type { NormalizedEventInput } from "../../../shared/schemas/normalized.js";
import type { Connector, ConnectorEnv, ChannelRuntime, SendResult } from "../types.js";
import { fetchReview, replyFailure, type TrustpilotReview, type TrustpilotSecrets, type TrustpilotSettings } from "./trustpilot-api.js";

/**
 * Trustpilot publishes no maximum for a reply. 2048 characters is a conservative cap, well above a
 * normal answer, so an agent learns of a too-long reply before sending, not from a refusal later.
 */
const MAX_REPLY = 2048;

type Channel = ChannelRuntime<TrustpilotSettings, TrustpilotSecrets>;
type TrustpilotEvent = { eventName?: unknown; eventData?: { id?: unknown; consumer?: { id?: string; name?: string }; stars?: unknown } };

/** The same id for a reply whether Parley sent it or it comes back on a fetched review, so the echo matches. */
export const replyExternalId = (reviewId: string, text: string) =>
  `reply:${reviewId}:${createHash("sha256").update(text).digest("hex").slice(0, 16)}`;

const stars = (v: unknown) => (typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 5 ? v : undefined);
const textOf = (r: TrustpilotReview) => [r.title?.trim(), r.text?.trim()].filter(Boolean).join("\n\n");

function reviewEvents(review: TrustpilotReview, hint: TrustpilotEvent["eventData"], updated: boolean): NormalizedEventInput[] {
  const rating = stars(review.stars);
  const text = textOf(review);
  const out: NormalizedEventInput[] = [];
  if (updated) {
    // Applies when the review is stored; when it is not, it is a no-op and the message below creates it.
    out.push({ type: "message.edited", externalId: review.id, text, ...(rating ? { rating } : {}), occurredAt: review.updatedAt ?? undefined });
  }
  const consumerId = review.consumer?.id ?? hint?.consumer?.id ?? `review:${review.id}`;
  const name = review.consumer?.displayName ?? review.consumer?.name ?? hint?.consumer?.name;
  const thread = { kind: "review" as const, key: `review:${review.id}`, context: { ...(rating ? { rating } : {}), ...(review.title ? { title: review.title } : {}) } };
  const contact = { externalId: consumerId, ...(name ? { name } : {}) };
  out.push({
    type: "message",
    thread,
    contact,
    message: {
      externalId: review.id,
      text,
      ...(rating ? { rating } : {}),
      occurredAt: review.createdAt,
      meta: { ...(review.referenceId ? { referenceId: review.referenceId } : {}), ...(review.language ? { language: review.language } : {}) },
    },
  });
  const reply = review.companyReply?.text;
  if (reply) {
    out.push({
      type: "message",
      thread,
      contact,
      message: { externalId: replyExternalId(review.id, reply), text: reply, direction: "out", occurredAt: review.companyReply?.updatedAt ?? review.companyReply?.createdAt },
    });
  }
  return out;
}

async function normalizeEvent(e: TrustpilotEvent, channel: Channel, env: ConnectorEnv): Promise<NormalizedEventInput[]> {
  const name = typeof e.eventName === "string" ? e.eventName : "(no eventName)";
  const id = e.eventData?.id;
  if (!["service-review-created", "service-review-updated", "service-review-deleted"].includes(name)) {
    return [{ type: "ignored", reason: `Trustpilot event ${name} is not handled` }];
  }
  if (typeof id !== "string" || !id) throw new Error(`Trustpilot ${name} event has no review id`);
  if (name === "service-review-deleted") return [{ type: "message.deleted", externalId: id }];
  const review = await fetchReview(env.baseUrl(channel), channel.secrets.accessToken, id, env.config.OUTBOUND_TIMEOUT_MS, env.targets(channel));
  const unit = review.businessUnit?.id;
  if (unit && unit !== channel.settings.businessUnitId) {
    return [{ type: "ignored", reason: `review ${id} belongs to business unit ${unit}, not this channel's ${channel.settings.businessUnitId}` }];
  }
  return reviewEvents({ ...review, id: review.id ?? id }, e.eventData, name === "service-review-updated");
}

export const trustpilotConnector: Connector<TrustpilotSettings, TrustpilotSecrets> = {
  platform: "trustpilot",
  label: "Trustpilot",
  capabilities: { surfaces: { review: ["reply"] }, moderation: {}, replyWindowHours: null, maxLength: MAX_REPLY },
  secretFields: ["accessToken", "webhookToken"],
  accountIdOf: (c) => (c.businessUnitId ? String(c.businessUnitId) : null),
  // Trustpilot's private API is throttled per token; about one call a second keeps well clear of it.
  rateLimits: [{ limit: 60, windowSeconds: 60 }],
  setupSteps: ({ webhookUrl, settings }) => [
    "In Trustpilot Business > Integrations > Developers > Webhooks, add a subscription for new, updated and deleted service reviews.",
    `Use ${webhookUrl} as its URL, replacing {webhookToken} with this channel's webhook token (shown once when the channel was created). The token is the only proof a delivery is Trustpilot's: keep the URL secret.`,
    "Use a business-user OAuth access token as accessToken; replace it here when it expires.",
    settings.businessUserId
      ? `Replies are posted as business user ${settings.businessUserId}.`
      : "Set businessUserId (the business user replies are posted as): replies cannot be sent without it.",
  ],

  async normalize(payload, channel, env) {
    const body = JSON.parse(payload) as { events?: unknown };
    if (!Array.isArray(body.events)) throw new Error("Trustpilot delivery has no events array");
    const out: NormalizedEventInput[] = [];
    for (const e of body.events) out.push(...(await normalizeEvent((e ?? {}) as TrustpilotEvent, channel, env)));
    return out.length ? out : [{ type: "ignored", reason: "Trustpilot delivery with no events" }];
  },

  async send(channel, msg, env): Promise<SendResult> {
    if (msg.kind !== "review" || msg.surface !== "reply" || !msg.rootExternalId) {
      return { ok: false, retryable: false, reason: "Trustpilot reviews can only be answered with a public reply to the review." };
    }
    const author = channel.settings.businessUserId;
    if (!author) {
      return { ok: false, retryable: false, reason: "This Trustpilot channel has no businessUserId, which Trustpilot needs as the reply's author. Ask an admin to set it, then send again." };
    }
    const reply = await callPlatform(
      `${env.baseUrl(channel)}/v1/private/reviews/${encodeURIComponent(msg.rootExternalId)}/reply`,
      jsonRequest("POST", channel.secrets.accessToken, { authorBusinessUserId: author, message: msg.text }),
      env.config.OUTBOUND_TIMEOUT_MS,
      env.targets(channel),
    );
    if (!reply.reached) return { ok: false, retryable: true, reason: `Trustpilot did not answer (${reply.reason}); Parley will try again.` };
    if (!reply.ok) return replyFailure(reply.status, reply.text, reply.headers.get("retry-after"));
    return { ok: true, externalId: replyExternalId(msg.rootExternalId, msg.text) };
  },
};
