import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { CreateChannelRequest } from "../shared/schemas/channels.js";
import type { Ctx } from "./context.js";
import { channels } from "./db/schema.js";
import { createChannel } from "./domain/channels.js";
import { putBotConfig } from "../bots/bot-config.js";
import { randomToken } from "./domain/crypto.js";
import type { Scope } from "./domain/scope.js";

/**
 * PARLEY_DEMO only: one demo channel per social platform, each marked `demo` so that its platform
 * calls go to a local fake of that platform on a fixed port (SIMULATE_PORT_BASE…+5), which
 * `npm run simulate` starts. No URL is stored on the channel: see targetPolicyFor in connectors/runtime.ts. The account ids are the test
 * fixtures' ids; every secret is random per install (they are written, with the ports, to
 * DATA_DIR/demo-channel.json for the simulator), so nobody else can post into these channels.
 */

/** The rule bot of the demo API channel, and of the demo Telegram bot. */
export const demoBotRules = [
  { name: "Opening hours", matchType: "keyword" as const, pattern: "opening hours, open, hours", reply: "We are open Monday to Friday, 9:00 to 18:00.", position: 0, enabled: true },
  { name: "Shipping", matchType: "keyword" as const, pattern: "shipping, delivery time, ship", reply: "Orders ship within 2 working days; delivery takes 3 to 5 days.", position: 1, enabled: true },
  { name: "Order status", matchType: "regex" as const, pattern: "where.*(order|parcel|package)", reply: "You can track your order at example.com/track with your order number.", position: 2, enabled: true },
];

const port = z.number().int().min(1).max(65535);
const uuid = z.uuid();
const s = z.string();

/** What the simulator needs to play each platform: channel ids, account ids, secrets, fake ports. */
export const DemoSocial = z.object({
  ports: z.object({ meta: port, whatsapp: port, x: port, telegram: port, google: port, trustpilot: port }),
  facebook: z.object({ channelId: uuid, pageId: s, appSecret: s, verifyToken: s, accessToken: s }),
  instagram: z.object({ channelId: uuid, igUserId: s, appSecret: s, verifyToken: s, accessToken: s }),
  whatsapp: z.object({ channelId: uuid, phoneNumberId: s, appSecret: s, verifyToken: s, accessToken: s }),
  x: z.object({ channelId: uuid, userId: s, consumerSecret: s, accessToken: s }),
  telegram: z.object({ channelId: uuid, botToken: s, secretToken: s }),
  /** webhookToken is absent in files written before Google channels needed one. */
  google: z.object({ channelId: uuid, accountId: s, locationId: s, accessToken: s, webhookToken: s.optional() }),
  trustpilot: z.object({ channelId: uuid, businessUnitId: s, businessUserId: s, accessToken: s, webhookToken: s }),
});
export type DemoSocial = z.infer<typeof DemoSocial>;

/** The fakes' fixed ports, from SIMULATE_PORT_BASE: Meta (Facebook and Instagram) first, then the others. */
export function demoPorts(base: number): DemoSocial["ports"] {
  return { meta: base, whatsapp: base + 1, x: base + 2, telegram: base + 3, google: base + 4, trustpilot: base + 5 };
}

/**
 * Marks a channel as the demo's own. Only the seed does this (no API request can set it); while
 * PARLEY_DEMO is on, such a channel's calls go to the simulator's fixed local ports.
 */
export async function markDemoChannel(ctx: Ctx, channelId: string) {
  await ctx.db
    .update(channels)
    .set({ settings: sql`${channels.settings} || '{"demo": true}'::jsonb` })
    .where(eq(channels.id, channelId));
}

export async function seedDemoSocial(ctx: Ctx, scope: Scope): Promise<DemoSocial> {
  const ports = demoPorts(ctx.config.SIMULATE_PORT_BASE);
  const create = async (platform: string, name: string, config: Record<string, unknown>, botEnabled = false) => {
    const input = CreateChannelRequest.parse({ platform, name, botEnabled, config });
    const id = (await createChannel(ctx, scope, input)).row.id;
    await markDemoChannel(ctx, id);
    return id;
  };
  // One Meta app serves the Page, the Instagram account and the WhatsApp number: one app secret.
  const metaAppSecret = randomToken(24);

  const fb = { pageId: "108000000000001", appSecret: metaAppSecret, verifyToken: `fb-verify-${randomToken(9)}`, accessToken: `fb-page-${randomToken(18)}` };
  const facebook = { channelId: await create("facebook", "Demo Facebook Page", { ...fb }), ...fb };

  const ig = { igUserId: "17841400000000001", appSecret: metaAppSecret, verifyToken: `ig-verify-${randomToken(9)}`, accessToken: `ig-user-${randomToken(18)}` };
  const instagram = { channelId: await create("instagram", "Demo Instagram", { ...ig }), ...ig };

  const wa = { phoneNumberId: "106000000000004", appSecret: metaAppSecret, verifyToken: `wa-verify-${randomToken(9)}`, accessToken: `wa-${randomToken(18)}` };
  const whatsapp = { channelId: await create("whatsapp", "Demo WhatsApp", { ...wa }), ...wa };

  const xc = { userId: "1500000000000000001", consumerSecret: randomToken(24), accessToken: `x-${randomToken(18)}` };
  const x = { channelId: await create("x", "Demo X account", { ...xc }), ...xc };

  // The one social channel with the bot on: a Telegram bot answering in private chats is what
  // people expect, and it shows a reply landing on a platform without anyone typing. The others
  // stay with people, so every other demo conversation waits in the queue for the newcomer.
  const tg = { botToken: `8000000001:${randomToken(24)}`, secretToken: randomToken(24) };
  const telegram = { channelId: await create("telegram", "Demo Telegram bot", { ...tg }, true), ...tg };
  await putBotConfig(ctx, scope, telegram.channelId, { rules: demoBotRules });

  // No pushAudience: checking Pub/Sub's token would need GOOGLE_CERTS_URL (one setting for every
  // channel) pointed at the fake. The secret webhook URL token proves the pushes instead.
  const gc = { accountId: "112233445566778899001", locationId: "9876543210123456789", accessToken: `gbp-${randomToken(18)}`, webhookToken: randomToken(24) };
  const google = { channelId: await create("google_reviews", "Demo Google reviews", { ...gc }), ...gc };

  const tp = { businessUnitId: "5f1e0000aaaabbbbcccc0001", businessUserId: "65a0f00dfa4e0000000000b1", accessToken: `tp-${randomToken(18)}`, webhookToken: randomToken(24) };
  const trustpilot = { channelId: await create("trustpilot", "Demo Trustpilot", { ...tp }), ...tp };

  return { ports, facebook, instagram, whatsapp, x, telegram, google, trustpilot };
}
