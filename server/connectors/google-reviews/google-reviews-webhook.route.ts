import type { Router } from "express";
import type { Ctx } from "../../context.js";
import { acceptDeliveries } from "../../pipeline/intake.js";
import { bodyOf, channelById, header, rawBody, rejectWebhook } from "../webhook-kit.js";
import type { GbpSettings } from "./gbp-api.js";
import { decodeNotification, parseEnvelope } from "./notification.js";
import { verifyPushToken } from "./push-token.js";

/**
 * POST /webhooks/google/:channelId — a Pub/Sub push (wrapped envelope). When the channel has a
 * pushAudience, the push must carry a Google-signed OIDC token for it. 200 acks (Pub/Sub redelivers
 * anything else); 401 bad token; 400 malformed; 404 unknown channel.
 */
export function googleReviewsWebhookRoutes(ctx: Ctx, router: Router) {
  router.post("/webhooks/google/:channelId", rawBody, async (req, res) => {
    const channel = await channelById(ctx, "google_reviews", String(req.params.channelId));
    if (!channel) return rejectWebhook(ctx, res, { status: 404, reason: "unknown channel", platform: "google_reviews" });
    const reject = (status: number, reason: string) => rejectWebhook(ctx, res, { status, reason, platform: "google_reviews", channelId: channel.id });

    const settings = channel.settings as GbpSettings;
    if (settings.pushAudience) {
      const check = await verifyPushToken(header(req, "authorization"), {
        certsUrl: ctx.config.GOOGLE_CERTS_URL,
        audience: settings.pushAudience,
        serviceAccount: settings.pushServiceAccount,
      });
      if (!check.ok) return reject(401, `Pub/Sub push token refused: ${check.reason}`);
    }

    const body = bodyOf(req).toString("utf8");
    const envelope = parseEnvelope(body);
    if ("error" in envelope) return reject(400, envelope.error);
    // Checked here so a broken message is refused at the door, not stored and rejected later.
    const notification = decodeNotification(envelope.data);
    if ("error" in notification) return reject(400, notification.error);

    const result = await acceptDeliveries(ctx, [{ channel, externalEventId: `pubsub:${envelope.messageId}`, payload: body }]);
    return res.status(200).json({ status: result.accepted ? "accepted" : "duplicate" });
  });
}
