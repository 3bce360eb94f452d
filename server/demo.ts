import express, { type IRouter } from "express";
import { eq } from "drizzle-orm";
import type { Ctx } from "./context.js";
import { channels } from "./db/schema.js";
import { channelSecrets } from "./domain/channels.js";
import { signBody, verifySignature } from "./domain/crypto.js";

/**
 * PARLEY_DEMO only: stands in for the source system behind the demo channel. It receives our signed
 * replies and, a moment later, reports them delivered, so a newcomer sees a reply's whole life.
 */
export function demoRoutes(ctx: Ctx, router: IRouter) {
  router.post("/demo/callback", express.raw({ type: () => true, limit: "1mb" }), async (req, res) => {
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const [channel] = await ctx.db.select().from(channels).where(eq(channels.name, "Demo API channel")).limit(1);
    if (!channel) return res.status(404).json({ error: "no demo channel" });
    const secret = channelSecrets(ctx, channel).secret!;
    if (!verifySignature(secret, body, req.headers["x-parley-signature"] as string | undefined)) {
      return res.status(401).json({ error: "bad signature" });
    }
    const { messageId } = JSON.parse(body.toString("utf8")) as { messageId: string };
    res.json({ externalId: `demo-${messageId}` });
    setTimeout(() => {
      const receipt = JSON.stringify({ eventId: `receipt-${messageId}`, receipt: { messageId, status: "delivered" } });
      void fetch(`${ctx.config.publicUrl}/webhooks/api/${channel.id}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-parley-signature": signBody(secret, receipt) },
        body: receipt,
      }).catch(() => {});
    }, 400).unref();
  });
}
