import { and, eq, isNull, lt } from "drizzle-orm";
import { enqueue, type Ctx } from "../context.js";
import { attachments } from "../db/schema.js";
import { mediaFetchJob } from "./media-fetch.job.js";

/** Uploads never sent with a reply are removed after this long. */
export const UNSENT_UPLOAD_TTL_MS = 24 * 3600_000;

/**
 * The sweeper's media part: re-enqueues fetches whose job was lost (the embedded queue forgets
 * them on restart), and deletes uploads an agent never sent.
 */
export async function sweepMedia(ctx: Ctx, before: Date): Promise<{ fetches: number; removed: number }> {
  const pending = await ctx.db
    .select({ id: attachments.id })
    .from(attachments)
    .where(and(eq(attachments.status, "pending"), lt(attachments.createdAt, before)))
    .limit(500);
  for (const a of pending) await enqueue(ctx, mediaFetchJob, { attachmentId: a.id }, { jobId: `media-${a.id}` });

  const stale = await ctx.db
    .delete(attachments)
    .where(and(eq(attachments.origin, "upload"), isNull(attachments.messageId), lt(attachments.createdAt, new Date(ctx.clock.now().getTime() - UNSENT_UPLOAD_TTL_MS))))
    .returning({ key: attachments.storageKey });
  for (const s of stale) if (s.key) await ctx.storage.delete(s.key).catch((err) => ctx.log.warn("could not delete an unsent upload", { error: err }));
  return { fetches: pending.length, removed: stale.length };
}
