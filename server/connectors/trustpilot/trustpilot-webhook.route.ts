import { createHash, timingSafeEqual } from "node:crypto";
import type { Request, Response, IRouter } from "express";
import type { Ctx } from "../../context.js";
import { acceptDeliveries } from "../../pipeline/intake.js";
import { channelRuntime } from "../runtime.js";
import { answerJson, bodyOf, channelById, rawBody, rejectWebhook } from "../webhook-kit.js";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time comparison: digests have the same length whatever was guessed. */
export function sameToken(given: string, expected: string | undefined): boolean {
  if (!expected) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * POST /webhooks/trustpilot/:channelId/:token — Trustpilot signs nothing (docs/platform-contracts.md §8), so the
 * secret path token is the only proof of origin. 200 accepted or duplicate; 401 wrong token; 400 not
 * `{"events":[…]}`; 404 unknown channel.
 */
export function trustpilotWebhookRoutes(ctx: Ctx, router: IRouter) {
  router.post("/webhooks/trustpilot/:channelId/:token", rawBody, async (req, res) => {
    try {
      await handle(req, res);
    } catch (err) {
      // Answered here: the app's error handler logs the request path, which holds the secret token.
      ctx.log.error("trustpilot webhook failed", { channel: String(req.params.channelId), error: err });
      if (!res.headersSent) res.status(500).json({ error: "internal error; Trustpilot may deliver again" });
    }
  });

  async function handle(req: Request, res: Response) {
    const channel = await channelById(ctx, "trustpilot", String(req.params.channelId));
    if (!channel) return rejectWebhook(ctx, res, { status: 404, reason: "unknown channel", platform: "trustpilot" });
    const reject = (status: number, reason: string) => rejectWebhook(ctx, res, { status, reason, platform: "trustpilot", channelId: channel.id });

    const secrets = channelRuntime(ctx, channel).secrets as { webhookToken?: string };
    if (!sameToken(String(req.params.token), secrets.webhookToken)) return reject(401, "the webhook URL's token does not match this channel's webhookToken");

    const raw = bodyOf(req);
    let json: unknown;
    try {
      json = JSON.parse(raw.toString("utf8"));
    } catch {
      return reject(400, "body is not valid JSON");
    }
    if (!json || typeof json !== "object" || !Array.isArray((json as { events?: unknown }).events)) {
      return reject(400, 'body is not a Trustpilot delivery ({"events":[…]})');
    }
    // Trustpilot gives no delivery id: the same bytes are the same delivery.
    const id = `sha256:${createHash("sha256").update(raw).digest("hex")}`;
    const result = await acceptDeliveries(ctx, [{ channel, externalEventId: id, payload: raw.toString("utf8") }]);
    return answerJson(res, 200, { status: result.accepted ? "accepted" : "duplicate" });
  }
}
