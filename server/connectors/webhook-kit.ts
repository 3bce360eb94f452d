import express, { type Request, type RequestHandler, type Response } from "express";
import { hasNulByte, jsonTooDeep, MAX_JSON_DEPTH } from "../security/hostile-input.js";
import { redactPath } from "../http/request-log.js";
import { eq, inArray } from "drizzle-orm";
import type { Ctx } from "../context.js";
import { channels } from "../db/schema.js";
import type { Platform } from "../../shared/schemas/common.js";
import { channelRuntime } from "./runtime.js";

type ChannelRow = typeof channels.$inferSelect;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Webhook bodies stay raw: signatures are checked on the exact bytes received. Hostile bodies are
 * answered 4xx here, before any route looks at them (platforms retry 5xx, so a 5xx for a bad body
 * would come back forever): unsupported Content-Encoding 415 (body-parser), NUL bytes 400, JSON
 * nested deeper than MAX_JSON_DEPTH 400.
 */
const readRaw = express.raw({ type: () => true, limit: "4mb" });
export const rawBody: RequestHandler = (req, res, next) =>
  readRaw(req, res, (err?: unknown) => {
    if (err) return next(err);
    const body = bodyOf(req);
    const refuse = (reason: string, code: string) => {
      req.log?.warn("webhook rejected", { path: redactPath(req.originalUrl), status: 400, reason });
      answerJson(res, 400, { error: reason, code });
    };
    if (hasNulByte(body)) return refuse("body contains NUL bytes", "nul_character");
    if (jsonTooDeep(body)) return refuse(`body nests JSON deeper than ${MAX_JSON_DEPTH} levels`, "json_too_deep");
    next();
  });

/**
 * Answers a webhook with JSON, as `res.status(status).json(body)` would but without Express's
 * `send`: no ETag (a platform never revalidates a webhook answer; Express hashes every body to make
 * one) and one string written with the headers instead of a header string and a Buffer.
 */
export function answerJson(res: Response, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.setHeader("content-length", Buffer.byteLength(text));
  res.end(text);
  return res;
}

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
  return answerJson(res, opts.status, { error: opts.reason, ...(opts.issues ? { issues: opts.issues } : {}) });
}

/**
 * How long a webhook may use a channel row it read (secret, settings, platform) before reading it
 * again. A change made through this process (the channel API publishes channel.updated) drops it at
 * once; a change made by another process is seen within this time.
 */
export const CHANNEL_CACHE_MS = 2000;
type Cached = { row: ChannelRow | null; at: number };
const channelCaches = new WeakMap<Ctx["db"], Map<string, Cached>>();

function channelCache(ctx: Ctx): Map<string, Cached> {
  let cache = channelCaches.get(ctx.db);
  if (!cache) {
    const created = new Map<string, Cached>();
    channelCaches.set(ctx.db, (cache = created));
    ctx.bus.subscribe("webhook-channel-cache", (e) => {
      if (e.type === "channel.updated") created.delete(e.channelId);
    });
  }
  return cache;
}

/** A webhook's channel by id and platform: read at most every CHANNEL_CACHE_MS per channel and process (unknown ids too). */
export async function channelById(ctx: Ctx, platform: Platform, id: string): Promise<ChannelRow | null> {
  if (!UUID.test(id)) return null;
  const cache = channelCache(ctx);
  const now = Date.now();
  const hit = cache.get(id);
  if (hit && now - hit.at < CHANNEL_CACHE_MS) return hit.row?.platform === platform ? hit.row : null;
  const [row] = await ctx.db.select().from(channels).where(eq(channels.id, id));
  if (cache.size >= 10_000) cache.clear(); // many distinct ids (probing): start over rather than grow
  cache.set(id, { row: row ?? null, at: now });
  return row?.platform === platform ? row : null;
}

/** All channels of some platforms, with their secrets, for webhooks shared by several accounts (Meta, X). */
export async function channelsWithSecrets(ctx: Ctx, platforms: Platform[]) {
  const rows = await ctx.db.select().from(channels).where(inArray(channels.platform, platforms));
  return rows.map((row) => ({ row, secrets: channelRuntime(ctx, row).secrets as Record<string, string>, settings: row.settings as Record<string, unknown> }));
}
