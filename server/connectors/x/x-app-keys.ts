import { and, eq, sql } from "drizzle-orm";
import type { Ctx } from "../../context.js";
import { channels } from "../../db/schema.js";
import { channelRuntime } from "../runtime.js";
import { xAppKey } from "./x-signature.js";

/**
 * X channels saved before per-app webhook URLs existed get their appKey (derived from the consumer
 * secret, so every process computes the same one and concurrent starts are harmless).
 */
export async function backfillXAppKeys(ctx: Pick<Ctx, "db" | "keyring">): Promise<number> {
  const rows = await ctx.db
    .select()
    .from(channels)
    .where(and(eq(channels.platform, "x"), sql`not (${channels.settings} ? 'appKey')`));
  for (const row of rows) {
    const secret = (channelRuntime(ctx, row).secrets as { consumerSecret?: string }).consumerSecret;
    if (!secret) continue;
    await ctx.db
      .update(channels)
      .set({ settings: sql`${channels.settings} || ${JSON.stringify({ appKey: xAppKey(secret) })}::jsonb` })
      .where(eq(channels.id, row.id));
  }
  return rows.length;
}
