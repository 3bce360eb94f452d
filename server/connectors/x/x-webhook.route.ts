import { createHash } from "node:crypto";
import type { Request, IRouter } from "express";
import type { Ctx } from "../../context.js";
import { acceptDeliveries } from "../../pipeline/intake.js";
import { answerJson, bodyOf, channelsWithSecrets, header, rawBody, rejectWebhook } from "../webhook-kit.js";
import { crcResponseToken, validCrcToken, xAppKey, xSignatureMatches } from "./x-signature.js";

/**
 * X webhooks (Account Activity), registered per X app.
 *
 * GET ?crc_token= answers the CRC: `sha256=base64(HMAC-SHA256(consumer secret, crc_token))`. That
 * HMAC is also how X signs POST bodies, so answering any text would sign any body an attacker wants
 * (a forged delivery). Only tokens of X's form are answered: at most 256 characters of base64 /
 * base64url / `-._~`, which can never be a JSON event, so the answer is useless as a signature.
 *
 * Which secret? One per app, never chosen by the caller's query:
 * - `/webhooks/x/app/:appKey` is one app's URL: appKey is a fingerprint of that app's consumer
 *   secret (shown on each X channel). Register each app's own URL when several X apps are connected.
 * - `/webhooks/x` serves the one-app case: it answers the CRC only while every connected X channel
 *   shares one consumer secret, and refuses (400) when there are several apps.
 *
 * POST checks `x-twitter-webhooks-signature` over the raw bytes against the app's (or every
 * connected) consumer secret, then routes by `for_user_id` to the channel with that user id whose
 * secret signed it. A delivery for no connected account is recorded as ignored. X may deliver an
 * event more than once: the de-duplication id is the body's sha256.
 */
export function xWebhookRoutes(ctx: Ctx, router: IRouter) {
  router.get(["/webhooks/x", "/webhooks/x/app/:appKey"], async (req, res) => {
    const crcToken = req.query.crc_token;
    if (typeof crcToken !== "string" || !crcToken) {
      return rejectWebhook(ctx, res, { status: 400, reason: "missing crc_token query parameter", platform: "x" });
    }
    if (!validCrcToken(crcToken)) {
      return rejectWebhook(ctx, res, { status: 400, reason: "crc_token is not of X's form (at most 256 characters of A-Z a-z 0-9 + / = - _ . ~)", platform: "x" });
    }
    const secrets = await appSecrets(req);
    if (secrets.length === 0) {
      return rejectWebhook(ctx, res, { status: 404, reason: req.params.appKey ? "no connected X channel belongs to this app" : "no X channel is connected, so the CRC cannot be answered", platform: "x" });
    }
    if (secrets.length > 1) {
      return rejectWebhook(ctx, res, {
        status: 400,
        reason: "X channels of several apps are connected: register each app's own webhook URL (/webhooks/x/app/<appKey>, shown on its channels)",
        platform: "x",
      });
    }
    return res.status(200).json({ response_token: crcResponseToken(secrets[0]!, crcToken) });
  });

  router.post(["/webhooks/x", "/webhooks/x/app/:appKey"], rawBody, async (req, res) => {
    const body = bodyOf(req);
    const signature = header(req, "x-twitter-webhooks-signature");
    if (!signature) return rejectWebhook(ctx, res, { status: 401, reason: "missing x-twitter-webhooks-signature header", platform: "x" });
    const channels = await channelsWithSecrets(ctx, ["x"]);
    const secrets = await appSecrets(req, channels);
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
    if (forUserId.length > 100) return rejectWebhook(ctx, res, { status: 400, reason: "for_user_id is too long", platform: "x" });
    const channel = channels.find((c) => c.row.accountId === forUserId && signedBy.has(c.secrets.consumerSecret!))?.row;
    const externalEventId = `sha256:${createHash("sha256").update(body).digest("hex")}`;
    const payload = body.toString("utf8");
    const result = await acceptDeliveries(
      ctx,
      channel
        ? [{ channel, externalEventId, payload }]
        : [{ channel: null, platform: "x", externalEventId, payload, ignoredReason: `no connected X channel for user ${forUserId}` }],
    );
    return answerJson(res, 200, { status: result.duplicates > 0 ? "duplicate" : result.ignored > 0 ? "ignored" : "accepted" });
  });

  /** The distinct consumer secrets this URL stands for: the app's, or every connected app's. */
  async function appSecrets(req: Request, known?: Awaited<ReturnType<typeof channelsWithSecrets>>): Promise<string[]> {
    const channels = known ?? (await channelsWithSecrets(ctx, ["x"]));
    const all = [...new Set(channels.map((c) => c.secrets.consumerSecret).filter((s): s is string => Boolean(s)))];
    const appKey = req.params.appKey === undefined ? undefined : String(req.params.appKey);
    return appKey === undefined ? all : all.filter((s) => xAppKey(s) === appKey);
  }
}

