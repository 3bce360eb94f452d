import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IRouter } from "express";
import type { Ctx } from "../../context.js";
import type { Platform } from "../../../shared/schemas/common.js";
import { acceptDeliveries, type Delivery } from "../../pipeline/intake.js";
import { answerJson, bodyOf, channelsWithSecrets, header, rawBody, rejectWebhook } from "../webhook-kit.js";

const metaPlatforms: Platform[] = ["facebook", "instagram", "whatsapp"];
const platformOfObject: Record<string, Platform> = { page: "facebook", instagram: "instagram", whatsapp_business_account: "whatsapp" };

type MetaEntry = { id?: unknown; changes?: Array<{ field?: string; value?: { metadata?: { phone_number_id?: unknown } } }>; [k: string]: unknown };

function signatureMatches(secret: string, body: Buffer, given: string): boolean {
  const expected = Buffer.from("sha256=" + createHmac("sha256", secret).update(body).digest("hex"));
  const got = Buffer.from(given.trim().toLowerCase());
  return expected.length === got.length && timingSafeEqual(expected, got);
}

/**
 * One endpoint for every Meta product: Messenger, Page feed, Instagram and WhatsApp.
 * GET answers the subscription handshake; POST checks X-Hub-Signature-256 over the exact bytes
 * against the connected channels' app secrets, then routes each entry to its channel by Page id,
 * Instagram account id or WhatsApp phone number id. An entry for no connected account is recorded
 * as ignored.
 */
export function metaWebhookRoutes(ctx: Ctx, router: IRouter) {
  router.get("/webhooks/meta", async (req, res) => {
    const mode = req.query["hub.mode"];
    const token = req.query["hub.verify_token"];
    const challenge = req.query["hub.challenge"];
    const channels = await channelsWithSecrets(ctx, metaPlatforms);
    const match = typeof token === "string" && channels.find((c) => c.settings.verifyToken === token);
    if (mode !== "subscribe" || !match || typeof challenge !== "string") {
      ctx.log.warn("meta handshake refused", { reason: mode !== "subscribe" ? "hub.mode is not subscribe" : "hub.verify_token matches no channel" });
      return res.status(403).type("text").send("verify token does not match");
    }
    ctx.log.info("meta handshake accepted", { channel: match.row.id });
    return res.status(200).type("text").send(challenge);
  });

  router.post("/webhooks/meta", rawBody, async (req, res) => {
    const body = bodyOf(req);
    const signature = header(req, "x-hub-signature-256");
    if (!signature) return rejectWebhook(ctx, res, { status: 401, reason: "missing X-Hub-Signature-256 header", platform: "meta" });
    const channels = await channelsWithSecrets(ctx, metaPlatforms);
    const signedBy = new Set(
      [...new Set(channels.map((c) => c.secrets.appSecret).filter(Boolean))].filter((secret) => signatureMatches(secret!, body, signature)),
    );
    if (signedBy.size === 0) {
      return rejectWebhook(ctx, res, { status: 401, reason: "X-Hub-Signature-256 matches no connected app secret", platform: "meta" });
    }
    let json: { object?: unknown; entry?: unknown };
    try {
      json = JSON.parse(body.toString("utf8"));
    } catch {
      return rejectWebhook(ctx, res, { status: 400, reason: "body is not valid JSON", platform: "meta" });
    }
    // Valid JSON need not be an object ("null", "[]"): refuse it instead of crashing on it.
    const platform = json && typeof json === "object" && typeof json.object === "string" ? platformOfObject[json.object] : undefined;
    if (!platform || !Array.isArray(json.entry)) {
      return rejectWebhook(ctx, res, { status: 400, reason: `expected {object: page|instagram|whatsapp_business_account, entry: [...]}`, platform: "meta" });
    }

    const candidates = channels.filter((c) => c.row.platform === platform && signedBy.has(c.secrets.appSecret!));
    const byAccount = new Map(candidates.map((c) => [c.row.accountId, c.row]));
    const perChannel = new Map<string, { row: (typeof candidates)[number]["row"]; entries: MetaEntry[] }>();
    const ignored: MetaEntry[] = [];
    const unknownAccounts = new Set<string>();
    const route = (accountId: string, entry: MetaEntry) => {
      const row = byAccount.get(accountId);
      if (!row) {
        unknownAccounts.add(accountId || "?");
        return ignored.push(entry);
      }
      const slot = perChannel.get(row.id) ?? { row, entries: [] };
      slot.entries.push(entry);
      perChannel.set(row.id, slot);
    };
    for (const entry of json.entry as MetaEntry[]) {
      if (platform !== "whatsapp") {
        route(String(entry?.id ?? ""), entry);
        continue;
      }
      // WhatsApp: entry.id is the business account; each change names its phone number.
      const groups = new Map<string, MetaEntry["changes"]>();
      for (const change of entry?.changes ?? []) {
        const phone = String(change?.value?.metadata?.phone_number_id ?? "");
        groups.set(phone, [...(groups.get(phone) ?? []), change]);
      }
      for (const [phone, changes] of groups) route(phone, { ...entry, changes });
    }

    const digest = createHash("sha256").update(body).digest("hex");
    const deliveries: Delivery[] = [...perChannel.values()].map(({ row, entries }) => ({
      channel: row,
      externalEventId: `sha256:${digest}`,
      payload: JSON.stringify({ object: json.object, entry: entries }),
    }));
    if (ignored.length) {
      deliveries.push({
        channel: null,
        platform,
        externalEventId: `sha256:${digest}`,
        payload: JSON.stringify({ object: json.object, entry: ignored }),
        ignoredReason: `no connected ${platform} channel for ${[...unknownAccounts].join(", ")}`,
      });
    }
    const result = await acceptDeliveries(ctx, deliveries);
    return answerJson(res, 200, { status: result.accepted > 0 || result.duplicates === 0 ? "accepted" : "duplicate", ...result });
  });
}
