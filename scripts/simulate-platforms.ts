// The fake platforms of test/fakes, played against a running Parley's demo channels (PARLEY_DEMO):
// customers comment, message and review through each fake's own webhook sender (real signatures),
// and every call Parley makes to a fake (replies, moderation, review fetches) is reported back.
// Used by scripts/simulate.ts (npm run simulate) and by test/simulate.test.ts.
import type { DemoSocial } from "../server/demo-social.js";
import { sendDemoEvents } from "../server/demo-conversations.js";
import { startGoogleFake, type GoogleFake } from "../test/fakes/google-fake.js";
import { startMetaFake, type MetaFake } from "../test/fakes/meta-fake.js";
import { startTelegramFake, type TelegramFake } from "../test/fakes/telegram-fake.js";
import { reviewFromEvent, startTrustpilotFake, type TrustpilotFake } from "../test/fakes/trustpilot-fake.js";
import { startWhatsappFake, type WhatsappFake } from "../test/fakes/whatsapp-fake.js";
import { startXFake, type XFake } from "../test/fakes/x-fake.js";
import { PNG } from "../test/fakes/media-files.js";

export const SOCIAL_PLATFORMS = ["facebook", "instagram", "whatsapp", "x", "telegram", "google", "trustpilot"] as const;
export type SocialPlatform = (typeof SOCIAL_PLATFORMS)[number];

export type Fakes = { meta?: MetaFake; whatsapp?: WhatsappFake; x?: XFake; telegram?: TelegramFake; google?: GoogleFake; trustpilot?: TrustpilotFake };
export type SentEvent = { platform: SocialPlatform | "api"; kind: string; who: string; text: string; status: number };

/** A fake could not listen on its fixed port. */
export class PortTakenError extends Error {
  constructor(
    readonly fake: string,
    readonly port: number,
  ) {
    super(`port ${port} (the ${fake} fake) is already in use`);
  }
}

const label: Record<SocialPlatform, string> = {
  facebook: "Facebook",
  instagram: "Instagram",
  whatsapp: "WhatsApp",
  x: "X",
  telegram: "Telegram",
  google: "Google reviews",
  trustpilot: "Trustpilot",
};

/** Starts the fakes the chosen platforms need, on the demo channels' fixed ports, aimed at Parley. */
export async function startFakes(social: DemoSocial, parleyUrl: string, only: readonly SocialPlatform[] = SOCIAL_PLATFORMS): Promise<Fakes> {
  const want = new Set(only);
  const fakes: Fakes = {};
  const start = async <T>(name: string, port: number, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      await closeFakes(fakes);
      if ((err as NodeJS.ErrnoException)?.code === "EADDRINUSE") throw new PortTakenError(name, port);
      throw err;
    }
  };
  const { ports } = social;
  if (want.has("facebook") || want.has("instagram")) {
    fakes.meta = await start("Meta (Facebook, Instagram)", ports.meta, () =>
      startMetaFake({
        appSecret: social.facebook.appSecret,
        port: ports.meta,
        accounts: [
          { id: social.facebook.pageId, kind: "page", token: social.facebook.accessToken },
          { id: social.instagram.igUserId, kind: "ig", token: social.instagram.accessToken },
        ],
        // Parley asks the User Profile API who wrote a DM.
        profiles: { "6100000000000011": { name: "Jamie Rivera" }, "1790000000000022": { name: "Priya Nair", username: "priya.nair" } },
      }),
    );
    fakes.meta.setWebhookUrl(`${parleyUrl}/webhooks/meta`);
  }
  if (want.has("whatsapp")) {
    const w = social.whatsapp;
    fakes.whatsapp = await start("WhatsApp", ports.whatsapp, () =>
      startWhatsappFake({ webhookUrl: `${parleyUrl}/webhooks/meta`, appSecret: w.appSecret, phoneNumberId: w.phoneNumberId, accessToken: w.accessToken, port: ports.whatsapp }),
    );
  }
  if (want.has("x")) {
    const x = social.x;
    fakes.x = await start("X", ports.x, () =>
      startXFake({ consumerSecret: x.consumerSecret, userId: x.userId, accessToken: x.accessToken, webhookUrl: `${parleyUrl}/webhooks/x`, port: ports.x }),
    );
  }
  if (want.has("telegram")) {
    const t = social.telegram;
    fakes.telegram = await start("Telegram", ports.telegram, () => startTelegramFake({ bots: [t.botToken], port: ports.telegram }));
    // What the admin does once after connecting a bot: setWebhook with the channel's URL and secret token.
    const res = await fetch(`${fakes.telegram.url}/bot${t.botToken}/setWebhook`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: `${parleyUrl}/webhooks/telegram/${t.channelId}`, secret_token: t.secretToken }),
    });
    if (!res.ok) throw new Error(`the Telegram fake refused setWebhook: ${res.status}`);
  }
  if (want.has("google")) {
    fakes.google = await start("Google", ports.google, () => startGoogleFake({ accessToken: social.google.accessToken, port: ports.google }));
  }
  if (want.has("trustpilot")) {
    fakes.trustpilot = await start("Trustpilot", ports.trustpilot, () => startTrustpilotFake({ accessToken: social.trustpilot.accessToken, port: ports.trustpilot }));
  }
  return fakes;
}

export async function closeFakes(fakes: Fakes) {
  await fakes.meta?.settled().catch(() => {});
  await Promise.all(Object.values(fakes).map((f) => f?.close().catch(() => {})));
}

const short = (text: unknown) => {
  const s = String(text ?? "").replace(/\s+/g, " ").trim();
  return s.length > 120 ? s.slice(0, 117) + "…" : s;
};

/**
 * Reports every call Parley makes to the fakes as a line ("→ Facebook: public reply to comment …"),
 * by watching what each fake records. Returns stop(), which reports what is left first.
 */
export function watchFakes(fakes: Fakes, social: DemoSocial, onLine: (line: string) => void, intervalMs = 150) {
  const seen = { meta: 0, whatsapp: 0, x: 0, telegram: 0, google: 0, trustpilot: 0 };
  const take = <T>(key: keyof typeof seen, list: T[] | undefined): T[] => {
    if (!list) return [];
    const fresh = list.slice(seen[key]);
    seen[key] = list.length;
    return fresh;
  };
  const refused = (status: number) => (status >= 300 ? ` (refused: ${status})` : "");

  const poll = () => {
    for (const r of take("meta", fakes.meta?.requests)) {
      const who = r.account === social.instagram.igUserId ? "Instagram" : "Facebook";
      const [id, edge] = r.path.split("/").filter(Boolean);
      if (r.method === "POST" && edge === "messages") {
        const to = r.body?.recipient ?? {};
        if (to.comment_id) onLine(`→ ${who}: private reply (DM) to comment ${to.comment_id}: ${short(r.body?.message?.text)}`);
        else onLine(`→ ${who}: DM to ${to.id}${r.body?.tag ? ` [${r.body.tag}]` : ""}: ${short(r.body?.message?.text)}`);
      } else if (r.method === "POST" && edge === "comments") onLine(`→ ${who}: public reply to comment ${id}: ${short(r.body?.message)}`);
      else if (r.method === "POST" && edge === "replies") onLine(`→ ${who}: public reply to comment ${id}: ${short(r.query.message)}`);
      else if (r.method === "POST" && !edge) {
        const hide = (r.query.is_hidden ?? r.query.hide) === "true";
        onLine(`→ ${who}: ${hide ? "hid" : "unhid"} comment ${id}`);
      } else if (r.method === "DELETE" && !edge) onLine(`→ ${who}: deleted comment ${id}`);
      else onLine(`→ ${who}: ${r.method} ${r.path}`);
    }
    for (const c of take("whatsapp", fakes.whatsapp?.calls)) {
      const what = c.body?.type === "template" ? `template "${c.body.template?.name}"` : short(c.body?.text?.body);
      onLine(`→ WhatsApp: message to +${String(c.body?.to ?? "?").replace(/^\+/, "")}${refused(c.status)}: ${what}`);
    }
    for (const r of take("x", fakes.x?.requests)) {
      const dm = /^\/2\/dm_conversations\/with\/(\d+)\/messages$/.exec(r.path);
      if (dm) onLine(`→ X: DM to user ${dm[1]}${refused(r.status)}: ${short(r.body?.text)}`);
      else if (r.path === "/2/tweets") {
        const target = r.body?.reply?.in_reply_to_tweet_id;
        onLine(`→ X: ${target ? `public reply to post ${target}` : "post"}${refused(r.status)}: ${short(r.body?.text)}`);
      } else onLine(`→ X: ${r.method} ${r.path}${refused(r.status)}`);
    }
    for (const c of take("telegram", fakes.telegram?.calls)) {
      if (c.method === "setWebhook" || c.method === "getWebhookInfo") continue;
      if (c.method === "sendMessage") onLine(`→ Telegram: message to chat ${c.body?.chat_id}${refused(c.status)}: ${short(c.body?.text)}`);
      else onLine(`→ Telegram: ${c.method}${refused(c.status)}`);
    }
    for (const c of take("google", fakes.google?.calls)) {
      const review = /\/reviews\/([^/]+)/.exec(c.path)?.[1] ?? c.path;
      if (c.method === "GET") onLine(`· Google reviews: Parley fetched review ${review}`);
      else if (c.method === "PUT") onLine(`→ Google reviews: reply to review ${review}: ${short(c.body?.comment)}`);
      else onLine(`→ Google reviews: ${c.method} ${c.path}`);
    }
    for (const c of take("trustpilot", fakes.trustpilot?.calls)) {
      const review = /\/reviews\/([^/]+)/.exec(c.path)?.[1] ?? c.path;
      if (c.method === "GET") onLine(`· Trustpilot: Parley fetched review ${review}`);
      else if (c.method === "POST") onLine(`→ Trustpilot: reply to review ${review}: ${short(c.body?.message)}`);
      else onLine(`→ Trustpilot: ${c.method} ${c.path}`);
    }
  };
  const timer = setInterval(poll, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      poll();
    },
  };
}

type Step = { platform: SocialPlatform; kind: string; who: string; text: string; send(): Promise<number> };

/** The scripted customers: one thread per platform and kind, with ids unique to this run. */
function script(fakes: Fakes, social: DemoSocial, parleyUrl: string, runId: string): Step[] {
  const now = Date.now();
  const sec = Math.floor(now / 1000);
  const iso = new Date(now).toISOString();
  // Numeric ids the platforms would use, unique per run so each run starts new threads.
  const num = (base: bigint, k: number) => String(base + BigInt(now) * 10n + BigInt(k));
  const fb = social.facebook;
  const ig = social.instagram;
  const steps: Step[] = [];

  if (fakes.meta) {
    const meta = fakes.meta;
    const postId = `${fb.pageId}_122100000000000077`;
    steps.push({
      platform: "facebook",
      kind: "comment",
      who: "Dana Example",
      text: "Is the blue jacket back in stock in size M? 💙",
      async send() {
        const commentId = `122100000000000077_${num(0n, 1)}`;
        const value = {
          from: { id: "27000000000000901", name: "Dana Example" },
          post: { status_type: "added_photos", is_published: true, updated_time: iso.replace(/\.\d+Z$/, "+0000"), permalink_url: `https://www.facebook.com/${fb.pageId}/posts/pfbid0FakePermalink`, id: postId },
          message: this.text,
          post_id: postId,
          comment_id: commentId,
          created_time: sec,
          item: "comment",
          parent_id: postId,
          verb: "add",
        };
        return (await meta.sendWebhook({ object: "page", entry: [{ id: fb.pageId, time: sec, changes: [{ field: "feed", value }] }] })).status;
      },
    });
    steps.push({
      platform: "facebook",
      kind: "dm",
      who: "Jamie Rivera (Messenger)",
      text: "Hi, my order #4411 hasn't arrived yet. Can you check where it is?",
      async send() {
        const messaging = [{ sender: { id: "6100000000000011" }, recipient: { id: fb.pageId }, timestamp: now, message: { mid: `m_sim_${runId}_1`, text: this.text } }];
        return (await meta.sendWebhook({ object: "page", entry: [{ id: fb.pageId, time: now, messaging }] })).status;
      },
    });
    steps.push({
      platform: "instagram",
      kind: "comment",
      who: "fake.customer_01",
      text: "Where is my order?? It's been 2 weeks",
      async send() {
        const value = { from: { id: "1790000000000033", username: "fake.customer_01" }, media: { id: "18000000000000101", media_product_type: "FEED" }, id: num(18_000_000_000_000_000n, 2), text: this.text };
        return (await meta.sendWebhook({ object: "instagram", entry: [{ id: ig.igUserId, time: sec, changes: [{ field: "comments", value }] }] })).status;
      },
    });
    steps.push({
      platform: "instagram",
      kind: "dm",
      who: "Priya Nair (Instagram)",
      text: "Do you ship to Canada?",
      async send() {
        const messaging = [{ sender: { id: "1790000000000022" }, recipient: { id: ig.igUserId }, timestamp: now, message: { mid: `aWdfU2ltXzE${runId}`, text: this.text } }];
        return (await meta.sendWebhook({ object: "instagram", entry: [{ time: now, id: ig.igUserId, messaging }] })).status;
      },
    });
  }
  if (fakes.whatsapp) {
    const wa = fakes.whatsapp;
    steps.push({
      platform: "whatsapp",
      kind: "dm",
      who: "Lucía Fake",
      text: "Hola! Can I still change the delivery address for order #1042?",
      send: async () => (await wa.inboundText("15557654321", "Lucía Fake", "Hola! Can I still change the delivery address for order #1042?")).res.status,
    });
  }
  if (fakes.x) {
    const x = fakes.x;
    steps.push({
      platform: "x",
      kind: "mention",
      who: "Riley Fake",
      text: "@AcmeSupportFake my package is stuck in customs, help?",
      send: async () => (await x.deliver(x.post({ id: "1500000000000000002", name: "Riley Fake" }, "@AcmeSupportFake my package is stuck in customs, help?", { id: num(1_900_000_000_000_000_000n, 3) }))).status,
    });
    steps.push({
      platform: "x",
      kind: "dm",
      who: "Sam Fake",
      text: "My refund still hasn't shown up, it's been 10 days",
      // With a profile picture the fake serves, shown in the console through Parley.
      send: async () => {
        const picture = x.addMedia("profile/sam_fake.png", PNG, "image/png");
        return (await x.deliver(x.dm({ id: "1500000000000000003", name: "Sam Fake", picture }, "My refund still hasn't shown up, it's been 10 days", num(1_900_000_000_000_000_000n, 4)))).status;
      },
    });
  }
  if (fakes.telegram) {
    const tg = fakes.telegram;
    const kim = { id: 7000000001, first_name: "Kim", last_name: "Fake", username: "kim_fake" };
    steps.push({
      platform: "telegram",
      kind: "dm",
      who: "Kim Fake",
      text: "Hi! What are your opening hours?",
      async send() {
        const update = { update_id: now % 2_000_000_000, message: { message_id: sec % 1_000_000_000, from: { ...kim, is_bot: false, language_code: "en" }, chat: { ...kim, type: "private" }, date: sec, text: this.text } };
        return (await tg.sendUpdate(social.telegram.botToken, update)).status;
      },
    });
  }
  if (fakes.google) {
    const google = fakes.google;
    const g = social.google;
    steps.push({
      platform: "google",
      kind: "review",
      who: "Morgan Fake (★★)",
      text: "Waited 40 minutes and the staff ignored us.",
      async send() {
        const locationName = `accounts/${g.accountId}/locations/${g.locationId}`;
        const reviewId = `AbFvOqmSIM${runId}`;
        const name = `${locationName}/reviews/${reviewId}`;
        const profilePhotoUrl = google.addPhoto("morgan_fake.png", PNG, "image/png");
        google.setReview({ name, reviewId, reviewer: { displayName: "Morgan Fake", isAnonymous: false, profilePhotoUrl }, starRating: "TWO", comment: this.text, createTime: iso, updateTime: iso });
        // Pub/Sub pushes only the review's name; Parley then fetches the review from the fake.
        const statuses = await google.push(`${parleyUrl}/webhooks/google/${g.channelId}${g.webhookToken ? `/${g.webhookToken}` : ""}`, google.envelope({ notificationType: "NEW_REVIEW", locationName, reviewName: name }, num(0n, 5)));
        return statuses.at(-1) ?? 0;
      },
    });
  }
  if (fakes.trustpilot) {
    const tp = fakes.trustpilot;
    const t = social.trustpilot;
    steps.push({
      platform: "trustpilot",
      kind: "review",
      who: "Alex Fake (★★)",
      text: "Slow delivery — Order took three weeks and support never answered my email.",
      async send() {
        const id = `65a0f00d${(BigInt(now) * 10n + 6n).toString(16).padStart(16, "0")}`;
        const eventData = {
          id,
          language: "en",
          title: "Slow delivery",
          text: "Order took three weeks and support never answered my email.",
          referenceId: "ORDER-4411",
          stars: 2,
          createdAt: iso,
          isVerified: true,
          link: `https://api.trustpilot.com/v1/reviews/${id}`,
          consumer: { id: "65a0f00dfa4e0000000000c1", name: "Alex Fake", link: "https://api.trustpilot.com/v1/consumers/65a0f00dfa4e0000000000c1" },
        };
        // The webhook only announces the review; Parley fetches it from the fake.
        tp.setReview(reviewFromEvent(eventData, t.businessUnitId));
        return (await tp.sendWebhook(`${parleyUrl}/webhooks/trustpilot/${t.channelId}/${t.webhookToken}`, { events: [{ eventName: "service-review-created", version: "1", eventData }] })).status;
      },
    });
  }
  return steps;
}

export type SimulateOptions = {
  social: DemoSocial;
  parleyUrl: string;
  /** Social platforms to play (default all). */
  only?: readonly SocialPlatform[];
  /** The demo API channel: its events follow the social ones (count 0 or absent: none). */
  api?: { channelId: string; secret: string; count: number };
  delayMs?: number;
  runId?: string;
  onSent?: (line: string, event: SentEvent) => void;
  onLanded?: (line: string) => void;
};

/**
 * Starts the fakes, sends the scripted events, and leaves the fakes running (reporting what lands
 * in them) until close().
 */
export async function simulatePlatforms(opts: SimulateOptions) {
  const parleyUrl = opts.parleyUrl.replace(/\/$/, "");
  const runId = opts.runId ?? Date.now().toString(36);
  const fakes = await startFakes(opts.social, parleyUrl, opts.only ?? SOCIAL_PLATFORMS);
  const watcher = watchFakes(fakes, opts.social, opts.onLanded ?? (() => {}));
  const sent: SentEvent[] = [];
  const close = async () => {
    watcher.stop();
    await closeFakes(fakes);
  };
  const pause = () => (opts.delayMs ? new Promise((r) => setTimeout(r, opts.delayMs)) : Promise.resolve());
  try {
    const steps = script(fakes, opts.social, parleyUrl, runId).filter((s) => (opts.only ?? SOCIAL_PLATFORMS).includes(s.platform));
    for (const [i, step] of steps.entries()) {
      const status = await step.send();
      const event: SentEvent = { platform: step.platform, kind: step.kind, who: step.who, text: step.text, status };
      sent.push(event);
      opts.onSent?.(`${status} ${label[step.platform]} ${step.kind} — ${step.who}: ${step.text}`, event);
      if (status < 200 || status >= 300) throw new Error(`Parley answered ${status} to the ${label[step.platform]} ${step.kind}`);
      if (i < steps.length - 1 || opts.api?.count) await pause();
    }
    if (opts.api?.count) {
      await sendDemoEvents({ baseUrl: parleyUrl, channelId: opts.api.channelId, secret: opts.api.secret, count: opts.api.count, delayMs: opts.delayMs, runId }, (line) => {
        const [status, ...rest] = line.split(" ");
        const event: SentEvent = { platform: "api", kind: "dm", who: "", text: rest.join(" "), status: Number(status) };
        sent.push(event);
        opts.onSent?.(`${status} API ${rest.join(" ")}`, event);
      });
    }
  } catch (err) {
    await close();
    throw err;
  }
  return { fakes, sent, close };
}
