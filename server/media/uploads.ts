import { randomUUID } from "node:crypto";
import type { Request } from "express";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { z } from "zod";
import type { Attachment, Upload, UploadQuery } from "../../shared/schemas/attachments.js";
import type { Ctx } from "../context.js";
import type { Tx } from "../db/client.js";
import { attachments } from "../db/schema.js";
import { HttpError } from "../http/route.js";
import { connectorFor } from "../connectors/registry.js";
import { getConversation } from "../domain/conversation-queries.js";
import { BadRequest, type Scope } from "../domain/scope.js";
import { TooLarge } from "../storage/storage.js";
import { baseType, kindOf, megabytes, safeFileName, sniffImage, uploadTypes } from "./media-types.js";
import { checkReplyFiles } from "./reply-files.js";
import { serializeAttachment } from "./attachments.js";

/**
 * An agent's file for a reply, streamed straight to storage (never held whole in memory). Refused
 * early when the type is not one Parley sends, when the declared size is over the limit, or, with a
 * conversation given, when that conversation's platform would not take it.
 */
export async function receiveUpload(ctx: Ctx, scope: Scope, req: Request, query: z.infer<typeof UploadQuery>): Promise<z.infer<typeof Upload>> {
  const mimeType = baseType(req.headers["content-type"]);
  if (!mimeType || !uploadTypes.includes(mimeType)) {
    throw new HttpError(415, `files of type ${mimeType ?? "(none given)"} cannot be sent; send images, video, audio or documents`, { code: "unsupported_media_type" });
  }
  const max = ctx.config.ATTACHMENT_MAX_BYTES;
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (Number.isFinite(declared) && declared > max) throw new HttpError(413, `the file is ${megabytes(declared)}; Parley takes at most ${megabytes(max)}`, { code: "attachment_too_large" });
  const name = safeFileName(query.name, mimeType);
  if (query.conversationId) {
    const conv = await getConversation(ctx.db, scope, query.conversationId);
    const rules = conv.replyOptions.attachments ? connectorFor(conv.platform).capabilities.attachments?.[conv.kind] : null;
    checkReplyFiles([{ name, mimeType, size: Number.isFinite(declared) ? declared : 0 }], rules, connectorFor(conv.platform).label);
  }

  const id = randomUUID();
  const key = `${scope.workspaceId}/${id}`;
  let head: Buffer | null = null;
  async function* body() {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      head ??= chunk;
      yield chunk;
    }
  }
  let size: number;
  try {
    ({ size } = await ctx.storage.put(key, body(), { maxBytes: max }));
  } catch (err) {
    if (err instanceof TooLarge) throw new HttpError(413, `the file is larger than the ${megabytes(max)} Parley takes`, { code: "attachment_too_large" });
    throw err;
  }
  const refuse = async (err: Error) => {
    await ctx.storage.delete(key);
    throw err;
  };
  if (size === 0) await refuse(new BadRequest("the file is empty"));
  // An "image" must really be one: a page served as image/png stays a harmless broken image, but refusing it is clearer.
  if (mimeType.startsWith("image/") && sniffImage(head ?? Buffer.alloc(0)) !== mimeType) {
    await refuse(new HttpError(415, `the file is not a valid ${mimeType} image`, { code: "unsupported_media_type" }));
  }
  const [row] = await ctx.db
    .insert(attachments)
    .values({ id, workspaceId: scope.workspaceId, origin: "upload", type: kindOf(mimeType), name, mimeType, size, status: "stored", storageKey: key, uploadedBy: scope.userId, storedAt: new Date() })
    .returning();
  return { id: row!.id, name, mimeType, size, createdAt: row!.createdAt.toISOString() };
}

/**
 * Attaches the caller's own unsent uploads to a new message in the caller's transaction; answers
 * their display copy. An id that is not such an upload (someone else's, already sent, unknown) is refused.
 */
export async function claimUploads(tx: Tx, scope: Scope, ids: string[], at: { conversationId: string; channelId: string }) {
  if (ids.length === 0) return { rows: [], display: [] as Attachment[] };
  const unique = [...new Set(ids)];
  const rows = await tx
    .select()
    .from(attachments)
    .where(
      and(
        inArray(attachments.id, unique),
        eq(attachments.workspaceId, scope.workspaceId),
        eq(attachments.origin, "upload"),
        eq(attachments.uploadedBy, scope.userId),
        isNull(attachments.messageId),
        eq(attachments.status, "stored"),
      ),
    )
    .for("update");
  if (rows.length !== unique.length) throw new BadRequest("attachmentIds: a file is unknown or was already sent: upload it again", "unknown_attachment");
  const ordered = unique.map((id) => rows.find((r) => r.id === id)!);
  return { rows: ordered, display: ordered.map((r) => serializeAttachment({ ...r, ...at })) };
}

/** Links claimed uploads to the message they were sent with. */
export async function linkUploads(tx: Tx, rows: Array<{ id: string }>, messageId: string, at: { conversationId: string; channelId: string }) {
  if (rows.length === 0) return;
  for (const [position, r] of rows.entries()) {
    await tx.update(attachments).set({ messageId, ...at, position }).where(eq(attachments.id, r.id));
  }
}
