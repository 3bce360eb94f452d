import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { ConversationIdParams } from "../../../shared/schemas/conversations.js";
import { connectorFor } from "../../connectors/registry.js";
import { targetPolicyFor } from "../../connectors/runtime.js";
import type { Ctx } from "../../context.js";
import { channels, conversations } from "../../db/schema.js";
import { conversationScope } from "../../domain/conversation-queries.js";
import { NotFound } from "../../domain/scope.js";
import { servePicture } from "../../media/picture-proxy.js";
import { everyone, type RouteTable } from "../route.js";

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
      await servePicture(res, url, { platform: connectorFor(row.platform).label, policy: targetPolicyFor(ctx.config, { settings: row.settings }), what: "the post's picture" });
      return "";
    },
  });
}
