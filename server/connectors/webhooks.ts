import type { IRouter } from "express";
import type { Ctx } from "../context.js";
import { apiWebhookRoutes } from "./api/api-webhook.route.js";
import { googleReviewsWebhookRoutes } from "./google-reviews/google-reviews-webhook.route.js";
import { trustpilotWebhookRoutes } from "./trustpilot/trustpilot-webhook.route.js";
import { xWebhookRoutes } from "./x/x-webhook.route.js";
import { metaWebhookRoutes } from "./meta/meta-webhook.route.js";
import { telegramWebhookRoutes } from "./telegram/telegram-webhook.route.js";

/** Every platform's webhook endpoints under /webhooks. */
export function webhookRoutes(ctx: Ctx, router: IRouter) {
  apiWebhookRoutes(ctx, router);
  googleReviewsWebhookRoutes(ctx, router);
  trustpilotWebhookRoutes(ctx, router);
  xWebhookRoutes(ctx, router);
  telegramWebhookRoutes(ctx, router);
  metaWebhookRoutes(ctx, router);
}
