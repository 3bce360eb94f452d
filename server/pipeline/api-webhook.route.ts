import express, { type Request, type Response, type Router } from "express";
import { eq } from "drizzle-orm";
import type { Ctx } from "../context.js";
import { enqueue } from "../context.js";
import { channels, inboundEvents } from "../db/schema.js";
import { channelSecrets } from "../domain/channels.js";
import { connectorFor } from "../connectors/registry.js";
import { ingestJob } from "./ingest.job.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * POST /webhooks/:platform/:channelId — check the signature on the raw bytes, store the delivery,
 * answer 200 (a redelivery too), then enqueue its ingest with the stored event's id as job id.
 */
export function webhookRoutes(ctx: Ctx, router: Router) {
  const raw = express.raw({ type: () => true, limit: "1mb" });

  router.post("/webhooks/api/:channelId", raw, async (req: Request, res: Response) => {
    const channelId = String(req.params.channelId);
    const log = ctx.log.child({ webhook: "api", channel: channelId });
    const [channel] = UUID.test(channelId)
      ? await ctx.db.select().from(channels).where(eq(channels.id, channelId))
      : [];
    if (!channel || channel.platform !== "api") {
      log.warn("webhook rejected", { reason: "unknown channel" });
      return res.status(404).json({ error: "unknown channel" });
    }
    const connector = connectorFor(channel.platform);
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);

    const reject = async (status: number, reason: string, issues?: unknown) => {
      log.warn("webhook rejected", { reason, status });
      await ctx.db.update(channels).set({ lastError: `Webhook rejected: ${reason}`, lastErrorAt: new Date() }).where(eq(channels.id, channel.id));
      return res.status(status).json({ error: reason, ...(issues ? { issues } : {}) });
    };

    const check = connector.verify(channelSecrets(ctx, channel), body, req.headers);
    if (!check.ok) return reject(401, check.reason);
    const delivery = connector.parseDelivery(body);
    if (!delivery.ok) return reject(400, delivery.reason, delivery.issues);

    const [stored] = await ctx.db
      .insert(inboundEvents)
      .values({ workspaceId: channel.workspaceId, channelId: channel.id, externalEventId: delivery.eventId, payload: body.toString("utf8") })
      .onConflictDoNothing()
      .returning({ id: inboundEvents.id });
    if (!stored) return res.status(200).json({ status: "duplicate", eventId: delivery.eventId });

    try {
      await enqueue(ctx, ingestJob, { inboundEventId: stored.id }, { jobId: stored.id });
    } catch (err) {
      // Stored already: the sweeper enqueues it again when the queue is back.
      log.warn("ingest enqueue failed; the sweeper will retry", { event: stored.id, error: err });
    }
    return res.status(200).json({ status: "accepted", eventId: delivery.eventId });
  });
}
