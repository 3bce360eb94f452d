import { pipeline } from "node:stream/promises";
import { and, eq, isNull, or } from "drizzle-orm";
import { z } from "zod";
import { AttachmentIdParams, AttachmentQuery, UploadQuery, UploadResponse } from "../../../shared/schemas/attachments.js";
import type { Ctx } from "../../context.js";
import { attachments, conversations } from "../../db/schema.js";
import { conversationScope } from "../../domain/conversation-queries.js";
import { NotFound } from "../../domain/scope.js";
import { contentDisposition, isInline, parseRange } from "../../media/media-types.js";
import { receiveUpload } from "../../media/uploads.js";
import { everyone, HttpError, type RouteTable } from "../route.js";

/** Types a browser could run as a page or script: served as plain bytes whatever they claim. */
const active = /^(text\/html|application\/xhtml\+xml|image\/svg\+xml|text\/xml|application\/xml|text\/javascript|application\/javascript)$/;

export function attachmentRoutes(ctx: Ctx, t: RouteTable) {
  t.add({
    method: "post",
    path: "/uploads",
    summary: "Upload a file for a reply: the body is the file's bytes with its Content-Type; send its id in attachmentIds",
    tag: "attachments",
    access: everyone,
    query: UploadQuery,
    response: UploadResponse,
    status: 201,
    handler: async ({ query, scope, req }) => ({ upload: await receiveUpload(ctx, scope, req, query) }),
  });

  t.add({
    method: "get",
    path: "/attachments/:id",
    summary:
      "A stored file: with a session, of a conversation you may see (or your own unsent upload); or by a signed, expiring link (expires, signature) given to platforms and API callbacks. Images and video inline, anything else as a download; Range requests honoured",
    tag: "attachments",
    access: "public",
    params: AttachmentIdParams,
    query: AttachmentQuery,
    response: z.string(),
    raw: true,
    async handler({ params, query, req, res }) {
      const scope = req.scope;
      const signed = query.signature !== undefined && ctx.links.verify(params.id, query.expires, query.signature, ctx.clock.now());
      if (!scope && !signed) throw new HttpError(query.signature ? 403 : 401, query.signature ? "this link is invalid or has expired" : "log in first");
      const visible = signed
        ? eq(attachments.id, params.id)
        : and(
            eq(attachments.id, params.id),
            eq(attachments.workspaceId, scope!.workspaceId),
            // A conversation's file follows the conversation's scope; an unsent upload is its uploader's.
            or(and(isNull(attachments.conversationId), eq(attachments.uploadedBy, scope!.userId)), conversationScope(scope!)),
          );
      const [a] = await ctx.db.select({ a: attachments }).from(attachments).leftJoin(conversations, eq(conversations.id, attachments.conversationId)).where(visible);
      if (!a) throw new NotFound("attachment not found");
      const file = a.a;
      if (file.status === "pending") throw new HttpError(409, "the file is still being fetched from the platform", { code: "attachment_not_ready" });
      if (file.status === "unavailable" || !file.storageKey) throw new NotFound(file.reason ?? "the file is not available", "attachment_unavailable");
      const size = await ctx.storage.size(file.storageKey);
      if (size === null) throw new NotFound("the file is no longer stored", "attachment_unavailable");

      const type = file.mimeType && !active.test(file.mimeType) ? file.mimeType : "application/octet-stream";
      const inline = isInline(type);
      res.setHeader("content-type", type);
      res.setHeader("content-disposition", contentDisposition(file.name ?? "file", inline));
      res.setHeader("x-content-type-options", "nosniff");
      res.setHeader("content-security-policy", "default-src 'none'; sandbox");
      res.setHeader("cross-origin-resource-policy", "same-origin");
      res.setHeader("cache-control", "private, max-age=86400, immutable");
      res.setHeader("accept-ranges", "bytes");
      const range = parseRange(typeof req.headers.range === "string" ? req.headers.range : undefined, size);
      if (range === "unsatisfiable") {
        res.status(416).setHeader("content-range", `bytes */${size}`);
        res.end();
        return "";
      }
      if (range) {
        res.status(206).setHeader("content-range", `bytes ${range.start}-${range.end}/${size}`);
        res.setHeader("content-length", String(range.end - range.start + 1));
      } else {
        res.status(200).setHeader("content-length", String(size));
      }
      if (req.method === "HEAD") {
        res.end();
        return "";
      }
      await pipeline(await ctx.storage.get(file.storageKey, range ?? undefined), res).catch((err) => req.log.warn("attachment download cut short", { error: err }));
      return "";
    },
  });
}
