import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulatePlatforms } from "../scripts/simulate-platforms.js";
import type { DemoSocial } from "../server/demo-social.js";
import { ApiClient } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";

/** A base port with the six ports after it free on 127.0.0.1 (the fakes' fixed ports). */
async function freePortBase(): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once("error", () => resolve(false));
      s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
    });
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 41000 + Math.floor(Math.random() * 2000) * 6;
    let ok = true;
    for (let i = 0; i < 6 && ok; i++) ok = await free(base + i);
    if (ok) return base;
  }
  throw new Error("no six free ports in a row");
}

describe("npm run simulate: the fake platforms against the demo channels", () => {
  let p: TestParley;
  let admin: ApiClient;
  let social: DemoSocial;
  let sim: Awaited<ReturnType<typeof simulatePlatforms>>;
  const sent: string[] = [];
  const landed: string[] = [];

  beforeAll(async () => {
    const base = await freePortBase();
    // Without ALLOW_PRIVATE_TARGETS: the demo reaches its own local fakes, and only those.
    p = await startTestParley({ env: { PARLEY_DEMO: "1", SIMULATE_PORT_BASE: String(base), ALLOW_PRIVATE_TARGETS: "0" } });
    // The seed's result, rather than DATA_DIR/demo-channel.json: scaled mode writes no file.
    social = p.seeded!.demoSocial!;
    expect(social.ports).toEqual({ meta: base, whatsapp: base + 1, x: base + 2, telegram: base + 3, google: base + 4, trustpilot: base + 5 });
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    sim = await simulatePlatforms({
      social,
      parleyUrl: p.url,
      api: { channelId: p.seeded!.demoChannel!.id, secret: p.seeded!.demoChannel!.secret, count: 2 },
      runId: "test",
      onSent: (line) => sent.push(line),
      onLanded: (line) => landed.push(line),
    });
  });
  afterAll(async () => {
    await sim?.close();
    await p?.stop();
  });

  const conversations = async () => (await admin.get("/api/conversations?limit=100")).body.items as any[];

  it("seeds one demo channel per platform, each pointed at its fake's fixed port", async () => {
    const channels = (await admin.get("/api/channels")).body.items as any[];
    const byPlatform = Object.fromEntries(channels.map((c) => [c.platform, c]));
    expect(Object.keys(byPlatform).sort()).toEqual(["api", "facebook", "google_reviews", "instagram", "telegram", "trustpilot", "whatsapp", "x"]);
    // Marked as the demo's own: their calls go to the simulator's fixed local ports, no URL is stored.
    for (const c of channels) expect(c.config.demo).toBe(true);
    expect(JSON.stringify(channels)).not.toContain("127.0.0.1");
    expect(byPlatform.telegram.botEnabled).toBe(true);
    expect(channels.filter((c) => c.botEnabled).map((c) => c.platform).sort()).toEqual(["api", "telegram"]);
  });

  it("every platform's comment, DM, mention and review arrives as a conversation", async () => {
    expect(sim.sent.map((e) => [e.platform, e.kind, e.status])).toEqual([
      ["facebook", "comment", 200],
      ["facebook", "dm", 200],
      ["instagram", "comment", 200],
      ["instagram", "dm", 200],
      ["whatsapp", "dm", 200],
      ["x", "mention", 200],
      ["x", "dm", 200],
      ["telegram", "dm", 200],
      ["google", "review", 200],
      ["trustpilot", "review", 200],
      ["api", "dm", 200],
      ["api", "dm", 200],
    ]);
    expect(sent[0]).toMatch(/^200 Facebook comment — Dana Example: Is the blue jacket/);
    const expected = [
      "facebook comment",
      "facebook dm",
      "instagram comment",
      "instagram dm",
      "whatsapp dm",
      "x mention",
      "x dm",
      "telegram dm",
      "google_reviews review",
      "trustpilot review",
      "api dm",
    ];
    const seen = await waitFor(async () => {
      const kinds = new Set((await conversations()).map((c) => `${c.platform} ${c.kind}`));
      return expected.every((k) => kinds.has(k)) && kinds;
    }, "a conversation for every platform", 20_000);
    expect([...seen].sort()).toEqual([...expected].sort());
    // Google and Trustpilot only announce a review: Parley fetched it from the fake.
    expect(sim.fakes.google!.calls.some((c) => c.method === "GET")).toBe(true);
    expect(sim.fakes.trustpilot!.calls.some((c) => c.method === "GET")).toBe(true);
  });

  it("the X and Google customers' pictures are served from the demo's own local fakes, which only demo channels may reach", async () => {
    const list = await conversations();
    for (const [platform, name] of [
      ["x", "Sam Fake"],
      ["google_reviews", "Morgan Fake"],
    ]) {
      const conv = list.find((c) => c.platform === platform && c.contact.name === name);
      expect(conv?.contact.avatarUrl, name).toMatch(/^\/api\/contacts\/[0-9a-f-]{36}\/avatar\?v=/);
      const res = await fetch(`${p.url}${conv.contact.avatarUrl}`, { headers: { cookie: admin.cookie } });
      expect(res.status, name).toBe(200);
      expect(res.headers.get("content-type")).toBe("image/png");
    }
  });

  it("the Telegram bot's answer lands in the Telegram fake", async () => {
    const send = await waitFor(async () => sim.fakes.telegram!.sends().find((c) => c.status === 200), "the bot's sendMessage");
    expect(send.body).toMatchObject({ chat_id: 7000000001, text: "We are open Monday to Friday, 9:00 to 18:00." });
    await waitFor(async () => landed.find((l) => l.startsWith("→ Telegram: message to chat 7000000001: We are open")), "the landed line");
  });

  it("a reply to the Facebook comment lands in the Meta fake as a public comment reply", async () => {
    const conv = (await conversations()).find((c) => c.platform === "facebook" && c.kind === "comment")!;
    const [comment] = (await admin.get(`/api/conversations/${conv.id}/messages`)).body.items as any[];
    const res = await admin.post(`/api/conversations/${conv.id}/messages`, { text: "Yes! Size M is back, see the link in our bio." });
    expect(res.status).toBe(201);
    const call = await waitFor(
      async () => sim.fakes.meta!.requests.find((r) => r.method === "POST" && r.path === `/${comment.externalId}/comments`),
      "the comment reply at the Meta fake",
    );
    expect(call.body).toEqual({ message: "Yes! Size M is back, see the link in our bio." });
    expect(call.account).toBe(social.facebook.pageId);
    await waitFor(
      async () => landed.find((l) => l === `→ Facebook: public reply to comment ${comment.externalId}: Yes! Size M is back, see the link in our bio.`),
      "the landed line",
    );
  });
});
