import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { defineJob, type Ctx } from "../context.js";
import { attachments, channels } from "../db/schema.js";
import { connectorFor } from "../connectors/registry.js";
import { channelRuntime, connectorEnv } from "../connectors/runtime.js";
import { inTransaction } from "../domain/transaction.js";
import { TooLarge } from "../storage/storage.js";
import { refreshMessageCopy } from "./attachments.js";
import { baseType, megabytes, safeFileName } from "./media-types.js";

const platformNames: Record<string, string> = { facebook: "Facebook", instagram: "Instagram", whatsapp: "WhatsApp", telegram: "Telegram", x: "X", api: "The API channel" };

/**
 * Fetches one inbound file from its platform into storage, after the ingest committed. The job id is
 * the attachment id and only a pending attachment is fetched, so a redelivery is harmless. The
 * attachment ends `stored`, or `unavailable` with the reason the agent reads.
 */
export const mediaFetchJob = defineJob({
  name: "attachment.fetch",
  queue: "media",
  payload: z.object({ attachmentId: z.uuid() }),
  retry: () => ({ attempts: 5, backoffMs: 2000 }),
  async handle({ attachmentId }, ctx, job) {
    const [found] = await ctx.db
      .select({ attachment: attachments, channel: channels })
      .from(attachments)
      .innerJoin(channels, eq(channels.id, attachments.channelId))
      .where(eq(attachments.id, attachmentId));
    if (!found || found.attachment.status !== "pending") return;
    const { attachment: a, channel } = found;
    const platform = platformNames[channel.platform] ?? channel.platform;
    const connector = connectorFor(channel.platform);
    if (!connector.fetchMedia) return finish(ctx, a.id, { status: "unavailable", reason: `${platform} gives no way to fetch files.` });

    const source = { type: a.type, ...(a.source as { url?: string; ref?: string }), mimeType: a.mimeType ?? undefined, name: a.name ?? undefined };
    const maxBytes = ctx.config.ATTACHMENT_MAX_BYTES;
    const fetched = await connector.fetchMedia(channelRuntime(ctx, channel), source, connectorEnv(ctx), { maxBytes });
    if (!fetched.ok) {
      if (fetched.retryable && !job.isLastAttempt) {
        await ctx.db.update(attachments).set({ attempts: job.attempt }).where(eq(attachments.id, a.id));
        throw new Error(fetched.reason);
      }
      job.log.warn("attachment not fetched", { attachment: a.id, platform: channel.platform, reason: fetched.reason });
      return finish(ctx, a.id, { status: "unavailable", reason: fetched.reason });
    }
    const key = `${a.workspaceId}/${a.id}`;
    let size: number;
    try {
      ({ size } = await ctx.storage.put(key, fetched.body, { maxBytes }));
    } catch (err) {
      if (err instanceof TooLarge) return finish(ctx, a.id, { status: "unavailable", reason: `The file is larger than the ${megabytes(maxBytes)} Parley stores.` });
      if (!job.isLastAttempt) throw err;
      return finish(ctx, a.id, { status: "unavailable", reason: `${platform}'s file could not be downloaded completely.` });
    }
    // The platform's declared type wins over a CDN's generic one.
    const mimeType = a.mimeType ?? baseType(fetched.mimeType) ?? "application/octet-stream";
    await finish(ctx, a.id, {
      status: "stored",
      reason: null,
      storageKey: key,
      size,
      mimeType,
      name: safeFileName(a.name ?? fetched.name, mimeType, a.type),
      storedAt: new Date(),
    });
  },
});

async function finish(ctx: Ctx, id: string, patch: Partial<typeof attachments.$inferInsert>) {
  await inTransaction(ctx, async (tx, events) => {
    const [row] = await tx
      .update(attachments)
      .set(patch)
      .where(and(eq(attachments.id, id), eq(attachments.status, "pending")))
      .returning();
    if (row) await refreshMessageCopy(tx, events, row);
  });
}
