import type { Request, Response, IRouter } from "express";
import type { Ctx } from "../../context.js";
import { acceptDeliveries } from "../../pipeline/intake.js";
import { channelRuntime } from "../runtime.js";
import { sameToken } from "../trustpilot/trustpilot-webhook.route.js";
import { answerJson, bodyOf, channelById, header, rawBody, rejectWebhook } from "../webhook-kit.js";
import type { GbpSettings } from "./gbp-api.js";
import { decodeNotification, parseEnvelope } from "./notification.js";
import { verifyPushToken } from "./push-token.js";

/**
 * POST /webhooks/google/:channelId/:webhookToken — a Pub/Sub push (wrapped envelope). Every push
 * must prove it is Google's: the channel's secret token in the URL, and, when the channel has a
 * pushAudience, a Google-signed OIDC token for it as well. The URL without the token is accepted
 * only for channels with a pushAudience (the signed token alone is proof), so channels connected
 * before the token existed keep working when they were authenticated, and are refused (Pub/Sub keeps
 * redelivering, nothing is lost) until an admin sets up the token URL when they were not.
 * 200 acks (Pub/Sub redelivers anything else); 401 bad token; 400 malformed; 404 unknown channel.
 */
export function googleReviewsWebhookRoutes(ctx: Ctx, router: IRouter) {
  router.post(["/webhooks/google/:channelId", "/webhooks/google/:channelId/:token"], rawBody, async (req, res) => {
    try {
      await handle(req, res);
    } catch (err) {
      // Answered here: the app's error handler would log the request path, which holds the secret token.
      ctx.log.error("google webhook failed", { channel: String(req.params.channelId), error: err });
      if (!res.headersSent) res.status(500).json({ error: "internal error; Pub/Sub will deliver again" });
    }
  });

  async function handle(req: Request, res: Response) {
    const channel = await channelById(ctx, "google_reviews", String(req.params.channelId));
    if (!channel) return rejectWebhook(ctx, res, { status: 404, reason: "unknown channel", platform: "google_reviews" });
    const reject = (status: number, reason: string) => rejectWebhook(ctx, res, { status, reason, platform: "google_reviews", channelId: channel.id });

    const settings = channel.settings as GbpSettings;
    const pathToken = req.params.token === undefined ? undefined : String(req.params.token);
    if (pathToken !== undefined) {
      const expected = (channelRuntime(ctx, channel).secrets as { webhookToken?: string }).webhookToken;
      if (!sameToken(pathToken, expected)) return reject(401, "the webhook URL's token does not match this channel's webhookToken");
    } else if (!settings.pushAudience) {
      return reject(
        401,
        "unauthenticated push refused: use the channel's secret webhook URL (…/{webhookToken}; set a webhookToken on the channel if it has none) or an authenticated push subscription with pushAudience",
      );
    }
    if (settings.pushAudience) {
      const check = await verifyPushToken(header(req, "authorization"), {
        certsUrl: ctx.config.GOOGLE_CERTS_URL,
        audience: settings.pushAudience,
        serviceAccount: settings.pushServiceAccount,
        allowPrivate: ctx.config.ALLOW_PRIVATE_TARGETS,
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
    return answerJson(res, 200, { status: result.accepted ? "accepted" : "duplicate" });
  }
}
