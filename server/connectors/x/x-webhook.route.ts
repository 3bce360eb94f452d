import { createHash } from "node:crypto";
import type { Router } from "express";
import type { Ctx } from "../../context.js";
import { acceptDeliveries } from "../../pipeline/intake.js";
import { bodyOf, channelsWithSecrets, header, rawBody, rejectWebhook } from "../webhook-kit.js";
import { crcResponseToken, xSignatureMatches } from "./x-signature.js";

/**
 * One endpoint for every connected X account (Account Activity webhooks are registered per app).
 *
 * GET ?crc_token= answers the CRC with the consumer secret. X names no account on a CRC, so which
 * secret? All X channels of one app share it, which is the usual case. When channels of several apps
 * are connected, each app's webhook should be registered with `?channel=<channel id>` appended to the
 * URL: that channel's secret is used. Without it, the oldest X channel's secret answers.
 *
 * POST checks `x-twitter-webhooks-signature` over the raw bytes against each distinct consumer secret,
 * then routes by `for_user_id` to the channel with that user id whose secret signed it. A delivery for
 * no connected account is recorded as ignored. X may deliver an event more than once (several
 * subscriptions, retries): the de-duplication id is the body's sha256.
 */
export function xWebhookRoutes(ctx: Ctx, router: Router) {
  router.get("/webhooks/x", async (req, res) => {
    const crcToken = req.query.crc_token;
    if (typeof crcToken !== "string" || !crcToken) {
      return rejectWebhook(ctx, res, { status: 400, reason: "missing crc_token query parameter", platform: "x" });
    }
    const all = (await channelsWithSecrets(ctx, ["x"])).sort((a, b) => a.row.createdAt.getTime() - b.row.createdAt.getTime());
    const wanted = typeof req.query.channel === "string" ? all.find((c) => c.row.id === req.query.channel) : undefined;
    const chosen = wanted ?? all.find((c) => c.secrets.consumerSecret);
    if (!chosen?.secrets.consumerSecret) {
      return rejectWebhook(ctx, res, { status: 404, reason: "no X channel is connected, so the CRC cannot be answered", platform: "x" });
    }
    if (!wanted && new Set(all.map((c) => c.secrets.consumerSecret)).size > 1) {
      ctx.log.warn("x CRC answered with the oldest channel's consumer secret; add ?channel=<id> to each app's webhook URL", { channel: chosen.row.id });
    }
    return res.status(200).json({ response_token: crcResponseToken(chosen.secrets.consumerSecret, crcToken) });
  });

  router.post("/webhooks/x", rawBody, async (req, res) => {
    const body = bodyOf(req);
    const signature = header(req, "x-twitter-webhooks-signature");
    if (!signature) return rejectWebhook(ctx, res, { status: 401, reason: "missing x-twitter-webhooks-signature header", platform: "x" });
    const channels = await channelsWithSecrets(ctx, ["x"]);
    const secrets = [...new Set(channels.map((c) => c.secrets.consumerSecret).filter((s): s is string => Boolean(s)))];
    const signedBy = new Set(secrets.filter((s) => xSignatureMatches(s, body, signature)));
    if (signedBy.size === 0) {
      return rejectWebhook(ctx, res, { status: 401, reason: "x-twitter-webhooks-signature matches no connected consumer secret", platform: "x" });
    }
    let json: { for_user_id?: unknown };
    try {
      json = JSON.parse(body.toString("utf8"));
    } catch {
      return rejectWebhook(ctx, res, { status: 400, reason: "body is not valid JSON", platform: "x" });
    }
    if (!json || typeof json !== "object" || (typeof json.for_user_id !== "string" && typeof json.for_user_id !== "number")) {
      return rejectWebhook(ctx, res, { status: 400, reason: "expected an Account Activity event with for_user_id", platform: "x" });
    }
    const forUserId = String(json.for_user_id);
    const channel = channels.find((c) => c.row.accountId === forUserId && signedBy.has(c.secrets.consumerSecret!))?.row;
    const externalEventId = `sha256:${createHash("sha256").update(body).digest("hex")}`;
    const payload = body.toString("utf8");
    const result = await acceptDeliveries(
      ctx,
      channel
        ? [{ channel, externalEventId, payload }]
        : [{ channel: null, platform: "x", externalEventId, payload, ignoredReason: `no connected X channel for user ${forUserId}` }],
    );
    return res.status(200).json({ status: result.duplicates > 0 ? "duplicate" : result.ignored > 0 ? "ignored" : "accepted" });
  });
}
