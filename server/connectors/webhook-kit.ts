import express, { type Request, type Response } from "express";
import { and, eq, inArray } from "drizzle-orm";
import type { Ctx } from "../context.js";
import { channels } from "../db/schema.js";
import type { Platform } from "../../shared/schemas/common.js";
import { channelRuntime } from "./runtime.js";

type ChannelRow = typeof channels.$inferSelect;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Webhook bodies stay raw: signatures are checked on the exact bytes received. */
export const rawBody = express.raw({ type: () => true, limit: "4mb" });

export const bodyOf = (req: Request): Buffer => (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));

export function header(req: Request, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Answers a refused delivery, logs the reason, and records it on the channel's health when known. */
export async function rejectWebhook(
  ctx: Ctx,
  res: Response,
  opts: { status: number; reason: string; platform: Platform | "meta"; channelId?: string; issues?: unknown },
) {
  ctx.log.warn("webhook rejected", { platform: opts.platform, channel: opts.channelId, status: opts.status, reason: opts.reason });
  if (opts.channelId) {
    await ctx.db
      .update(channels)
      .set({ lastError: `Webhook rejected: ${opts.reason}`, lastErrorAt: new Date() })
      .where(eq(channels.id, opts.channelId))
      .catch(() => {});
  }
  return res.status(opts.status).json({ error: opts.reason, ...(opts.issues ? { issues: opts.issues } : {}) });
}

export async function channelById(ctx: Ctx, platform: Platform, id: string): Promise<ChannelRow | null> {
  if (!UUID.test(id)) return null;
  const [row] = await ctx.db.select().from(channels).where(and(eq(channels.id, id), eq(channels.platform, platform)));
  return row ?? null;
}

/** All channels of some platforms, with their secrets, for webhooks shared by several accounts (Meta, X). */
export async function channelsWithSecrets(ctx: Ctx, platforms: Platform[]) {
  const rows = await ctx.db.select().from(channels).where(inArray(channels.platform, platforms));
  return rows.map((row) => ({ row, secrets: channelRuntime(ctx, row).secrets as Record<string, string>, settings: row.settings as Record<string, unknown> }));
}
