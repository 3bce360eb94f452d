import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { eq } from "drizzle-orm";
import { conversations } from "../../server/db/schema.js";
import { ApiClient } from "../helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "../helpers/parley.js";
import { useConsole } from "./browser.js";
import { startWhatsappFake, type WhatsappFake } from "../fakes/whatsapp-fake.js";
import { startGoogleFake, type GoogleFake } from "../fakes/google-fake.js";

const LIVE_MS = 5_000;
const fixture = (name: string) => readFileSync(new URL(`../fixtures/platforms/${name}`, import.meta.url), "utf8");

const WA = { phoneNumberId: "106540000000001", appSecret: "wa-e2e-app-secret", accessToken: "wa-e2e-token" };
const TEMPLATE = { name: "order_update", language: "en_US", body: "Hi {{1}}, your order {{2}} has shipped." };
const GBP = { accountId: "112233445566778899001", locationId: "9876543210123456789", accessToken: "gbp-access-token-0123456789" };

describe("the console on WhatsApp's reply window and Google reviews", () => {
  let p: TestParley;
  let admin: ApiClient;
  let wa: WhatsappFake;
  let google: GoogleFake;
  let waChannel: string;
  let gbpChannel: string;
  let gbpToken: string;
  const ui = useConsole(() => p.url);

  beforeAll(async () => {
    google = await startGoogleFake({ accessToken: GBP.accessToken });
    p = await startTestParley({ env: { GOOGLE_CERTS_URL: google.certsUrl, GOOGLE_BUSINESS_URL: google.url } });
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    wa = await startWhatsappFake({ webhookUrl: `${p.url}/webhooks/meta`, ...WA });
    p.usePlatforms({ META_GRAPH_URL: wa.url });
    const created = await admin.post("/api/channels", {
      platform: "whatsapp",
      name: "Support line",
      botEnabled: false,
      config: { ...WA, verifyToken: "wa-verify-token", templates: [TEMPLATE] },
    });
    if (created.status !== 201) throw new Error(`whatsapp channel: ${created.status} ${JSON.stringify(created.body)}`);
    waChannel = created.body.id;
    const gbp = await admin.post("/api/channels", { platform: "google_reviews", name: "Downtown store", botEnabled: false, config: { ...GBP } });
    if (gbp.status !== 201) throw new Error(`google channel: ${gbp.status} ${JSON.stringify(gbp.body)}`);
    gbpChannel = gbp.body.id;
    gbpToken = gbp.body.generated.webhookToken;
  });

  afterAll(async () => {
    await p?.stop();
    await wa?.close();
    await google?.close();
  });

  /** A fresh profile on the console, logged in as the admin. */
  const openConsole = (): Promise<Page> => ui.desktop();

  const message = (page: Page, attrs: string, text: string) => page.locator(`[data-testid="message"]${attrs}`).filter({ hasText: text });

  it("counts down WhatsApp's 24-hour window, then offers only an approved template with its parameters", async () => {
    const page = await openConsole();
    await wa.inboundText("15557654321", "Wendy Whats", "Where is my order?");
    await page.getByTestId("conversation-row").filter({ hasText: "Wendy Whats" }).click({ timeout: LIVE_MS });
    await message(page, '[data-author="customer"]', "Where is my order?").waitFor();
    expect(await page.getByTestId("kind").first().textContent()).toBe("DM");

    // Inside the window: a live countdown, and a choice of a free reply or a template.
    const windowLine = page.getByTestId("reply-window");
    expect(await windowLine.getAttribute("data-state")).toBe("open");
    expect(await windowLine.textContent()).toMatch(/^Reply window: 23h 5\dm left/);
    // It counts down live: two hours later (the page's clock), without any reload.
    await page.clock.setFixedTime(Date.now() + 2 * 3_600_000);
    await expect.poll(() => windowLine.textContent(), { timeout: 3_000 }).toMatch(/^Reply window: 21h 5\dm left/);
    expect(await page.getByTestId("composer-surface-public").getAttribute("aria-checked")).toBe("true");
    await page.getByTestId("composer-surface-template").waitFor();
    expect(await page.getByTestId("composer-counter").textContent()).toContain("/ 4096");

    // The customer last wrote 25 hours ago: the window has closed, only the template remains.
    const conv = ((await admin.get(`/api/conversations?channelId=${waChannel}`)).body.items as any[])[0];
    await p.ctx.db.update(conversations).set({ lastCustomerMessageAt: new Date(Date.now() - 25 * 3_600_000) }).where(eq(conversations.id, conv.id));
    await page.reload();
    await page.getByTestId("template-picker").waitFor();
    expect(await windowLine.count()).toBe(0);
    expect(await page.getByTestId("composer-template-reason").textContent()).toContain("24-hour window has closed");
    expect(await page.getByTestId("composer-input").count()).toBe(0);
    expect(await page.getByTestId("composer-surface-public").count()).toBe(0);

    // Choose it, fill {{1}} and {{2}}: the preview follows; send is possible once all are filled.
    expect(await page.getByTestId("template-select").inputValue()).toBe("0");
    expect(await page.getByTestId("template-preview").textContent()).toBe(TEMPLATE.body);
    await page.getByTestId("template-param-1").fill("Wendy");
    expect(await page.getByTestId("composer-send").isDisabled()).toBe(true);
    await page.getByTestId("template-param-2").fill("#1042");
    expect(await page.getByTestId("template-preview").textContent()).toBe("Hi Wendy, your order #1042 has shipped.");
    await page.screenshot({ path: "/tmp/parley-social-template.png" });
    await page.getByTestId("composer-send").click();

    const sent = message(page, '[data-author="agent"]', "Hi Wendy, your order #1042 has shipped.");
    await expect.poll(() => sent.getAttribute("data-status"), { timeout: LIVE_MS }).toBe("sent");
    expect(await sent.getByTestId("message-surface").textContent()).toMatch(/^Template/);
    const call = wa.sent().at(-1)!;
    expect(call.body.type).toBe("template");
    expect(call.body.template.name).toBe(TEMPLATE.name);
    expect(call.body.template.language.code).toBe(TEMPLATE.language);
    expect(JSON.stringify(call.body.template.components)).toContain("#1042");
    expect(ui.problems()).toEqual([]);
  });

  it("shows a Google review's stars in the header and on the review, and answers it publicly", async () => {
    const page = await openConsole();
    google.setReview(JSON.parse(fixture("gbp-review.json")));
    expect(await google.push(`${p.url}/webhooks/google/${gbpChannel}/${gbpToken}`, fixture("gbp-pubsub-push-new-review.json"))).toEqual([200]);
    const conv = await waitFor(
      async () => ((await admin.get(`/api/conversations?channelId=${gbpChannel}`)).body.items as any[]).find((c) => c.kind === "review"),
      "the review conversation",
    );
    const detail = (await admin.get(`/api/conversations/${conv.id}`)).body.conversation;
    const rating = (await admin.get(`/api/conversations/${conv.id}/messages`)).body.items[0].rating as number;
    const stars = "★".repeat(rating) + "☆".repeat(5 - rating);

    const row = page.locator(`[data-testid="conversation-row"][data-conversation-id="${conv.id}"]`);
    await row.waitFor({ timeout: LIVE_MS });
    expect(await row.getByTestId("kind").textContent()).toBe("Review");
    await row.click();
    const header = page.getByTestId("conversation-header");
    await expect.poll(() => header.getByTestId("stars").textContent()).toBe(stars);
    expect(await header.getByTestId("stars").getAttribute("aria-label")).toBe(`${rating} out of 5 stars`);
    expect(await header.getByTestId("thread-context").textContent()).toContain(detail.contact.name);
    const review = page.locator('[data-testid="message"][data-author="customer"]');
    expect(await review.getByTestId("stars").textContent()).toBe(stars);
    // No private reply and no moderation on a review.
    expect(await page.getByTestId("composer-surface-private").count()).toBe(0);
    expect(await review.getByTestId("moderate-hide").count()).toBe(0);

    // Google limits a reply in bytes: the counter says so, and counts a Japanese character as three.
    await page.getByTestId("composer-input").fill("返品 ok");
    expect(await page.getByTestId("composer-counter").textContent()).toBe("9 / 4096 bytes");
    await page.getByTestId("composer-input").fill("返".repeat(1366));
    expect(await page.getByTestId("composer-counter").textContent()).toBe("4098 / 4096 bytes — too long");
    expect(await page.getByTestId("composer-send").isDisabled()).toBe(true);
    await page.getByTestId("composer-input").fill("Sorry about the wait, we have spoken to the team.");
    await page.getByTestId("composer-send").click();
    const reply = message(page, '[data-author="agent"]', "Sorry about the wait, we have spoken to the team.");
    await expect.poll(() => reply.getAttribute("data-status"), { timeout: LIVE_MS }).toBe("sent");
    expect(await reply.getByTestId("message-surface").textContent()).toBe("Public reply to the review");
    expect(google.calls.some((c) => c.method === "PUT" && c.body?.comment === "Sorry about the wait, we have spoken to the team.")).toBe(true);
    await page.screenshot({ path: "/tmp/parley-social-review.png" });
    expect(ui.problems()).toEqual([]);
  });
});
