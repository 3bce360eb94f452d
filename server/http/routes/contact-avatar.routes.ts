import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { ContactAvatarQuery, ContactIdParams } from "../../../shared/schemas/contacts.js";
import { connectorFor } from "../../connectors/registry.js";
import { targetPolicyFor } from "../../connectors/runtime.js";
import type { Ctx } from "../../context.js";
import { channels, contactIdentities, contacts } from "../../db/schema.js";
import { contactScope } from "../../domain/contacts.js";
import { NotFound } from "../../domain/scope.js";
import { servePicture } from "../../media/picture-proxy.js";
import { everyone, type RouteTable } from "../route.js";

/**
 * The contact's profile picture (the latest a platform sent), served from Parley's origin like a
 * post's picture: the API never hands the platform's URL to the browser.
 */
export function contactAvatarRoutes(ctx: Ctx, t: RouteTable) {
  t.add({
    method: "get",
    path: "/contacts/:id/avatar",
    summary: "The contact's profile picture, served from Parley's origin (raster images only); 404 when there is none or the platform withholds it",
    tag: "contacts",
    access: everyone,
    params: ContactIdParams,
    query: ContactAvatarQuery,
    response: z.string(),
    raw: true,
    async handler({ params, scope, res }) {
      const [row] = await ctx.db
        .select({ avatarUrl: contacts.avatarUrl })
        .from(contacts)
        .where(and(contactScope(scope), eq(contacts.id, params.id)));
      if (!row) throw new NotFound("contact not found");
      const url = row.avatarUrl;
      if (!url || !/^https?:\/\//i.test(url)) throw new NotFound("this contact has no picture");
      // The picture came from one of the contact's channels: a demo channel may reach its local fake
      // (its policy trusts that exact origin); anything else gets the default policy.
      const via = await ctx.db
        .select({ platform: channels.platform, settings: channels.settings })
        .from(contactIdentities)
        .innerJoin(channels, eq(channels.id, contactIdentities.channelId))
        .where(eq(contactIdentities.contactId, params.id))
        .orderBy(contactIdentities.createdAt);
      const origin = new URL(url).origin;
      const policies = via.map((c) => ({ platform: c.platform, policy: targetPolicyFor(ctx.config, c) }));
      const pick = policies.find((p) => p.policy.trustedOrigins?.has(origin)) ?? { platform: via[0]?.platform, policy: targetPolicyFor(ctx.config) };
      const platform = pick.platform ? connectorFor(pick.platform).label : "The platform";
      await servePicture(res, url, { platform, policy: pick.policy, what: "the contact's picture" });
      return "";
    },
  });
}
