import type { NormalizedEventInput } from "../../../shared/schemas/normalized.js";
import type { ChannelRuntime, ConnectorEnv } from "../types.js";
import { graphCall, type MetaSecrets } from "./graph-client.js";
import type { MetaProduct } from "./graph-errors.js";

const TTL_MS = 3600_000;
const MAX_ENTRIES = 5_000;
/** Per process: every comment on a popular post would otherwise cost the same Graph call. */
const cache = new Map<string, { context: Record<string, string> | null; until: number }>();

/** The fields asked of each platform's post or media, and how they map onto ThreadContext. */
const lookups: Record<MetaProduct, { fields: string; map: (json: Record<string, unknown>) => Record<string, string> }> = {
  // A Page post: GET /{post-id}?fields=message,permalink_url,full_picture,from (docs/platform-contracts.md §3.1).
  Facebook: {
    fields: "message,permalink_url,full_picture,from",
    map: (j) =>
      compact({
        postText: j.message,
        postUrl: j.permalink_url,
        thumbnailUrl: j.full_picture,
        postAuthor: (j.from as { name?: unknown } | undefined)?.name,
      }),
  },
  // An IG media: GET /{media-id}?fields=caption,permalink,media_type,media_url,thumbnail_url,username (§4.2).
  Instagram: {
    fields: "caption,permalink,media_type,media_url,thumbnail_url,username",
    map: (j) =>
      compact({
        postText: j.caption,
        postUrl: j.permalink,
        // A video's media_url is the video itself; its picture is thumbnail_url.
        thumbnailUrl: j.thumbnail_url ?? (j.media_type === "VIDEO" ? undefined : j.media_url),
        postAuthor: j.username,
      }),
  },
};

function compact(o: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => typeof e[1] === "string" && e[1].trim() !== "").map(([k, v]) => [k, v.slice(0, 4000)]));
}

/**
 * Comment and mention webhooks name the post or media only by id. Ask the Graph API for its text,
 * link, picture and author, so the agent sees what the comment is about rather than an id. A failed
 * look-up (no permission, the post deleted) leaves the context as the webhook gave it: it never holds
 * up the message, and the platform's error text is never stored.
 */
export async function withPostContext(
  product: MetaProduct,
  events: NormalizedEventInput[],
  channel: ChannelRuntime<unknown, MetaSecrets>,
  env: ConnectorEnv,
): Promise<NormalizedEventInput[]> {
  for (const e of events) {
    if (e.type !== "message" || (e.thread.kind !== "comment" && e.thread.kind !== "mention")) continue;
    const context = e.thread.context ?? {};
    if (typeof context.postText === "string" && typeof context.postUrl === "string") continue;
    const id = product === "Instagram" ? context.mediaId : context.postId;
    if (typeof id !== "string" || !/^[0-9_]+$/.test(id)) continue;
    const found = await lookUp(product, id, channel, env);
    // What the webhook itself carried wins over the look-up (it is newer).
    if (found) e.thread.context = { ...found, ...context };
  }
  return events;
}

async function lookUp(product: MetaProduct, id: string, channel: ChannelRuntime<unknown, MetaSecrets>, env: ConnectorEnv) {
  const key = `${channel.id}:${id}`;
  const hit = cache.get(key);
  if (hit && hit.until > Date.now()) return hit.context;
  const { fields, map } = lookups[product];
  const res = await graphCall(product, channel, { method: "GET", path: `/${id}`, query: { fields } }, env);
  const context = res.ok ? map(res.json) : null;
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  // A failure is remembered for a while too, so a post Parley may not read costs one call, not one per comment.
  cache.set(key, { context, until: Date.now() + (res.ok ? TTL_MS : TTL_MS / 6) });
  return context;
}
