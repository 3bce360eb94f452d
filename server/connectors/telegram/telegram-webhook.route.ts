import { timingSafeEqual } from "node:crypto";
import type { IRouter } from "express";
import type { Ctx } from "../../context.js";
import { acceptDeliveries } from "../../pipeline/intake.js";
import { channelRuntime } from "../runtime.js";
import { answerJson, bodyOf, channelById, header, rawBody, rejectWebhook } from "../webhook-kit.js";

/** Equality in constant time: Telegram sends the secret itself, there is no HMAC. */
function sameSecret(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * POST /webhooks/telegram/:channelId — one URL per bot, set with setWebhook(url, secret_token).
 * 200 accepted or duplicate (de-duplicated on update_id); 401 missing or wrong
 * X-Telegram-Bot-Api-Secret-Token; 400 not an Update; 404 unknown channel. Telegram holds back
 * later updates while one fails, so the answer comes right after storing.
 */
export function telegramWebhookRoutes(ctx: Ctx, router: IRouter) {
  router.post("/webhooks/telegram/:channelId", rawBody, async (req, res) => {
    const channel = await channelById(ctx, "telegram", String(req.params.channelId));
    if (!channel) return rejectWebhook(ctx, res, { status: 404, reason: "unknown channel", platform: "telegram" });
    const reject = (status: number, reason: string) => rejectWebhook(ctx, res, { status, reason, platform: "telegram", channelId: channel.id });

    const given = header(req, "x-telegram-bot-api-secret-token");
    if (!given) return reject(401, "missing X-Telegram-Bot-Api-Secret-Token header (give secret_token to setWebhook)");
    const expected = channelRuntime(ctx, channel).secrets.secretToken;
    if (!expected || !sameSecret(expected, given)) return reject(401, "X-Telegram-Bot-Api-Secret-Token does not match the channel's secret token");

    const body = bodyOf(req).toString("utf8");
    let update: { update_id?: unknown };
    try {
      update = JSON.parse(body);
    } catch {
      return reject(400, "body is not valid JSON");
    }
    if (!update || typeof update !== "object" || !Number.isSafeInteger(update.update_id)) {
      return reject(400, "body is not a Telegram Update: no integer update_id");
    }
    const result = await acceptDeliveries(ctx, [{ channel, externalEventId: `update:${update.update_id}`, payload: body }]);
    return answerJson(res, 200, { status: result.accepted ? "accepted" : "duplicate" });
  });
}
