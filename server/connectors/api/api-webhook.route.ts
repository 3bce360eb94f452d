import type { IRouter } from "express";
import type { Ctx } from "../../context.js";
import type { z } from "zod";
import { ApiInboundMessage, ApiInboundReceipt, type WebhookAck } from "../../../shared/schemas/webhooks.js";
import { verifySignature } from "../../domain/crypto.js";
import { acceptDeliveries } from "../../pipeline/intake.js";
import { channelRuntime } from "../runtime.js";
import { answerJson, bodyOf, channelById, header, rawBody, rejectWebhook } from "../webhook-kit.js";

/**
 * POST /webhooks/api/:channelId — `X-Parley-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`.
 * 200 accepted or duplicate; 401 signature; 400 malformed; 404 unknown channel.
 */
export function apiWebhookRoutes(ctx: Ctx, router: IRouter) {
  router.post("/webhooks/api/:channelId", rawBody, async (req, res) => {
    const channel = await channelById(ctx, "api", String(req.params.channelId));
    if (!channel) return rejectWebhook(ctx, res, { status: 404, reason: "unknown channel", platform: "api" });
    const body = bodyOf(req);
    const reject = (status: number, reason: string, issues?: unknown) =>
      rejectWebhook(ctx, res, { status, reason, platform: "api", channelId: channel.id, issues });

    const signature = header(req, "x-parley-signature");
    if (!signature) return reject(401, "missing X-Parley-Signature header");
    if (!verifySignature(channelRuntime(ctx, channel).secrets.secret!, body, signature)) {
      return reject(401, "X-Parley-Signature does not match the body");
    }
    const text = body.toString("utf8"); // decoded once: parsed here, stored below
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return reject(400, "body is not valid JSON");
    }
    // Report the errors of the variant the sender meant, not of the union.
    const variant = json && typeof json === "object" && "receipt" in json ? ApiInboundReceipt : ApiInboundMessage;
    const parsed = variant.safeParse(json);
    if (!parsed.success) {
      return reject(
        400,
        "body does not match the API channel event schema",
        parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      );
    }
    const result = await acceptDeliveries(ctx, [{ channel, externalEventId: parsed.data.eventId, payload: text }]);
    const ack: z.infer<typeof WebhookAck> = { status: result.accepted ? "accepted" : "duplicate", eventId: parsed.data.eventId };
    return answerJson(res, 200, ack);
  });
}
