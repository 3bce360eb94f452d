import type { NormalizedEventInput } from "../../../shared/schemas/normalized.js";
import type { ChannelRuntime, ConnectorEnv } from "../types.js";
import { graphCall, type MetaSecrets } from "./graph-client.js";
import type { MetaProduct } from "./graph-errors.js";

const TTL_MS = 6 * 3600_000;
const MAX_ENTRIES = 10_000;
/** Per process: a name changes rarely, and every look-up costs a Graph call against the Page's limits. */
const cache = new Map<string, { name: string | null; handle: string | null; until: number }>();

/**
 * Messenger and Instagram DMs name the customer only by an opaque id (PSID / IGSID). Ask the User
 * Profile API for their name, so agents see "Jamie Rivera" rather than 6100000000000011. A failed
 * look-up (no permission, the person restricted it) leaves the id: it never holds up the message.
 */
export async function withProfileNames(
  product: MetaProduct,
  events: NormalizedEventInput[],
  channel: ChannelRuntime<unknown, MetaSecrets>,
  env: ConnectorEnv,
): Promise<NormalizedEventInput[]> {
  const fields = product === "Instagram" ? "name,username" : "name";
  for (const e of events) {
    if (e.type !== "message" || e.thread.kind !== "dm" || e.contact.name) continue;
    const { name, handle } = await lookUp(product, fields, e.contact.externalId, channel, env);
    if (name) e.contact.name = name;
    // An Instagram username is the person's public @handle; a PSID has none.
    if (handle) e.contact.handle = handle;
  }
  return events;
}

async function lookUp(product: MetaProduct, fields: string, id: string, channel: ChannelRuntime<unknown, MetaSecrets>, env: ConnectorEnv) {
  const key = `${channel.id}:${id}`;
  const hit = cache.get(key);
  if (hit && hit.until > Date.now()) return hit;
  const res = await graphCall(product, channel, { method: "GET", path: `/${encodeURIComponent(id)}`, query: { fields } }, env);
  const json = res.ok ? (res.json as { name?: unknown; username?: unknown }) : {};
  const handle = typeof json.username === "string" && json.username ? `@${json.username}` : null;
  const name = typeof json.name === "string" && json.name ? json.name : handle;
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  // A failure is remembered for a while too, so a person without a visible profile costs one call.
  const profile = { name, handle, until: Date.now() + (res.ok ? TTL_MS : TTL_MS / 6) };
  cache.set(key, profile);
  return profile;
}
