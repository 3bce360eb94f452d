import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { ConversationIdParams } from "../../../shared/schemas/conversations.js";
import { connectorFor } from "../../connectors/registry.js";
import { targetPolicyFor } from "../../connectors/runtime.js";
import type { Ctx } from "../../context.js";
import { channels, conversations } from "../../db/schema.js";
import { conversationScope } from "../../domain/conversation-queries.js";
import { NotFound } from "../../domain/scope.js";
import { downloadMedia } from "../../media/download.js";
import { everyone, type RouteTable } from "../route.js";

/** A post's picture is small; anything bigger is not a thumbnail. */
const MAX_PICTURE_BYTES = 5 * 1024 * 1024;
/** Raster images only: an SVG can carry script. */
const pictureTypes = new Set(["image/jpeg", "image/png", "image/webp", "image/gif"]);

/**
 * The picture of the post or media a comment belongs to (context.thumbnailUrl), fetched from the
 * platform's CDN through the address guard and served from Parley's own origin, so the console's
 * strict img-src needs no exception. Nothing is stored; the browser caches it for an hour.
 */
export function threadContextRoutes(ctx: Ctx, t: RouteTable) {
  t.add({
    method: "get",
    path: "/conversations/:id/context-picture",
    summary: "The picture of the post or media the conversation is about (context.thumbnailUrl), served from Parley's origin; 404 when there is none or the platform withholds it",
    tag: "conversations",
    access: everyone,
    params: ConversationIdParams,
    response: z.string(),
    raw: true,
    async handler({ params, scope, res }) {
      const [row] = await ctx.db
        .select({ context: conversations.context, platform: channels.platform, settings: channels.settings })
        .from(conversations)
        .innerJoin(channels, eq(channels.id, conversations.channelId))
        .where(and(conversationScope(scope), eq(conversations.id, params.id)));
      if (!row) throw new NotFound("conversation not found");
      const url = row.context.thumbnailUrl;
      if (typeof url !== "string" || !/^https?:\/\//i.test(url)) throw new NotFound("this conversation's post has no picture");
      const label = connectorFor(row.platform).label;
      const got = await downloadMedia(url, {}, { platform: label, maxBytes: MAX_PICTURE_BYTES, policy: targetPolicyFor(ctx.config, { settings: row.settings }) });
      const type = got.ok ? (got.mimeType ?? "").split(";")[0]!.trim().toLowerCase() : "";
      if (!got.ok || !pictureTypes.has(type)) {
        if (got.ok) await drain(got.body);
        // The platform's own answer is not passed on: only that the picture is not available.
        throw new NotFound(`${label} did not hand over the post's picture`);
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of got.body) {
        size += chunk.byteLength;
        if (size > MAX_PICTURE_BYTES) throw new NotFound("the post's picture is too large to show");
        chunks.push(chunk);
      }
      res.setHeader("content-type", type);
      res.setHeader("x-content-type-options", "nosniff");
      res.setHeader("content-security-policy", "default-src 'none'; sandbox");
      res.setHeader("cross-origin-resource-policy", "same-origin");
      res.setHeader("cache-control", "private, max-age=3600");
      res.status(200).end(Buffer.concat(chunks));
      return "";
    },
  });
}

async function drain(body: AsyncIterable<Uint8Array>) {
  // Reading to the end (a picture is small) frees the connection; errors do not matter here.
  try {
    for await (const chunk of body) void chunk;
  } catch {
    // nothing to do
  }
}
