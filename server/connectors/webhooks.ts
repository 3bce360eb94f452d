import type { Router } from "express";
import type { Ctx } from "../context.js";
import { apiWebhookRoutes } from "./api/api-webhook.route.js";
import { metaWebhookRoutes } from "./meta/meta-webhook.route.js";

/** Every platform's webhook endpoints under /webhooks. */
export function webhookRoutes(ctx: Ctx, router: Router) {
  apiWebhookRoutes(ctx, router);
  metaWebhookRoutes(ctx, router);
}
