import { asc, eq } from "drizzle-orm";
import type { Ctx } from "../context.js";
import type { Executor } from "../db/client.js";
import { attachments } from "../db/schema.js";
import type { OutboundAttachment } from "../connectors/types.js";
import { kindOf } from "./media-types.js";

export type StoredFile = Omit<OutboundAttachment, "read" | "url"> & { storageKey: string };

/** The stored files of an outgoing message, in the order the agent attached them. */
export async function storedFilesOf(db: Executor, messageId: string): Promise<StoredFile[]> {
  const rows = await db.select().from(attachments).where(eq(attachments.messageId, messageId)).orderBy(asc(attachments.position), asc(attachments.id));
  return rows
    .filter((r) => r.status === "stored" && r.storageKey)
    .map((r) => ({
      id: r.id,
      type: kindOf(r.mimeType ?? ""),
      name: r.name ?? "file",
      mimeType: r.mimeType ?? "application/octet-stream",
      size: r.size ?? 0,
      storageKey: r.storageKey!,
    }));
}

/** A file as a connector sends it: its bytes read from storage on demand, and a fresh signed link. */
export function withAccess(ctx: Pick<Ctx, "storage" | "links" | "config" | "clock">, f: StoredFile): OutboundAttachment {
  const { storageKey, ...rest } = f;
  return {
    ...rest,
    async read() {
      const chunks: Buffer[] = [];
      for await (const c of await ctx.storage.get(storageKey)) chunks.push(c as Buffer);
      return Buffer.concat(chunks);
    },
    url: ctx.links.url(ctx.config.publicUrl, f.id, ctx.config.MEDIA_LINK_TTL_SECONDS, ctx.clock.now()),
  };
}
