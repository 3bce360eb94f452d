import { createHash } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Ctx } from "../context.js";
import { inboundEvents, type channels } from "../db/schema.js";
import type { Platform } from "../../shared/schemas/common.js";
import { acceptBatcher } from "./accept-batch.js";
import { cleanText, logSafeMessage } from "../security/hostile-input.js";
import { metrics } from "../infra/metrics.js";

type ChannelRow = typeof channels.$inferSelect;

export type Delivery =
  | { channel: ChannelRow; externalEventId: string; payload: string }
  | { channel: null; platform: Platform; externalEventId: string; payload: string; ignoredReason: string };

/**
 * Stores verified deliveries (one per channel they concern) and enqueues their ingest, with the
 * stored row's id as the job id, grouped with concurrent requests' deliveries (accept-batch.ts). A redelivery hits the unique key and is reported as a duplicate.
 * A part addressed to no connected channel is recorded as ignored, with its reason.
 */
export async function acceptDeliveries(ctx: Ctx, deliveries: Delivery[]): Promise<{ accepted: number; duplicates: number; ignored: number }> {
  let accepted = 0;
  let duplicates = 0;
  let ignored = 0;
  for (const given of deliveries) {
    // Ids are unique keys: a hostile one too long for an index row is stored by its digest instead.
    const id = cleanText(given.externalEventId);
    // Text PostgreSQL refuses (a NUL in an id echoed into a reason) is cleaned: the row must be stored.
    const d = {
      ...given,
      externalEventId: id.length > 300 ? `sha256:${createHash("sha256").update(id).digest("hex")}` : id,
      payload: cleanText(given.payload),
      ...(given.channel ? {} : { ignoredReason: cleanText(given.ignoredReason).slice(0, 1000) }),
    } as Delivery;
    if (!d.channel) {
      ignored++;
      const [seen] = await ctx.db
        .select({ id: inboundEvents.id })
        .from(inboundEvents)
        .where(and(isNull(inboundEvents.channelId), eq(inboundEvents.platform, d.platform), eq(inboundEvents.externalEventId, d.externalEventId)));
      metrics.deliveries.inc({ platform: d.platform, outcome: "ignored" });
      if (seen) continue; // a redelivery of a part we already recorded as ignored
      ctx.log.info("webhook part ignored", { platform: d.platform, reason: logSafeMessage(d.ignoredReason) });
      await ctx.db.insert(inboundEvents).values({
        platform: d.platform,
        externalEventId: d.externalEventId,
        payload: d.payload,
        status: "ignored",
        reason: d.ignoredReason,
        processedAt: new Date(),
      });
      continue;
    }
    // Stored and enqueued together with concurrent requests' deliveries (one INSERT, one ingest job for the group).
    const storedId = await acceptBatcher(ctx).store({
      workspaceId: d.channel.workspaceId,
      channelId: d.channel.id,
      platform: d.channel.platform,
      externalEventId: d.externalEventId,
      payload: d.payload,
    });
    if (!storedId) {
      duplicates++;
      metrics.deliveries.inc({ platform: d.channel.platform, outcome: "duplicate" });
      continue;
    }
    accepted++;
    metrics.deliveries.inc({ platform: d.channel.platform, outcome: "accepted" });
  }
  return { accepted, duplicates, ignored };
}
