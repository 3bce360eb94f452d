import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { eq } from "drizzle-orm";
import { conversations } from "../../server/db/schema.js";
import { ApiClient } from "../helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "../helpers/parley.js";
import { useConsole } from "./browser.js";
import { JPEG } from "../fakes/media-files.js";
import { fixtureJson, signatureVectors, startMetaFake, type GraphRequest, type MetaFake } from "../fakes/meta-fake.js";

/** How long something may take to show up live in the browser. */
const LIVE_MS = 5_000;
const SCREENSHOT_COMMENT = "/tmp/parley-social-comment.png";
const SCREENSHOT_CONNECT = "/tmp/parley-social-connect.png";

/** The ids in the Facebook feed fixtures. */
const PAGE_ID = "108000000000001";
const COMMENT_ID = "122100000000000077_1200000000000555";
const PERMALINK = "https://www.facebook.com/108000000000001/posts/pfbid0FakePermalink";
const APP_SECRET = signatureVectors.meta_app_secret;
const PAGE_TOKEN = "fb-page-token-e2e";

describe("the console on social platforms (Facebook, against the Meta fake)", () => {
  let p: TestParley;
  let admin: ApiClient;
  let fake: MetaFake;
  let channelId: string;
  const ui = useConsole(() => p.url);

  beforeAll(async () => {
    p = await startTestParley();
    fake = await startMetaFake({ appSecret: APP_SECRET, accounts: [{ id: PAGE_ID, kind: "page", token: PAGE_TOKEN }] });
    fake.setWebhookUrl(`${p.url}/webhooks/meta`);
    p.usePlatforms({ META_GRAPH_URL: fake.url });
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    const res = await admin.post("/api/channels", {
      platform: "facebook",
      name: "Shop Page",
      botEnabled: false,
      config: { pageId: PAGE_ID, appSecret: APP_SECRET, verifyToken: "e2e-verify-token", accessToken: PAGE_TOKEN },
    });
    if (res.status !== 201) throw new Error(`facebook channel creation failed: ${res.status} ${JSON.stringify(res.body)}`);
    channelId = res.body.id;
  });

  afterAll(async () => {
    await fake?.settled();
    await p?.stop();
    await fake?.close();
  });

  /** A fresh profile on the console, logged in as the admin. */
  const openConsole = (): Promise<Page> => ui.desktop();

  const message = (page: Page, attrs: string, text: string) => page.locator(`[data-testid="message"]${attrs}`).filter({ hasText: text });
  const statusOf = (m: Locator) => m.getAttribute("data-status");
  /** The Graph calls the fake received that match. */
  const graphCalls = (match: (r: GraphRequest) => boolean) => fake.requests.filter(match);

  it("answers a Facebook comment publicly and privately, once, and hides it on the platform", async () => {
    const delivered = await fake.sendFixture("facebook-feed-comment-add.json");
    expect(delivered.status).toBe(200);
    await waitFor(async () => ((await admin.get(`/api/conversations?channelId=${channelId}`)).body.items as any[]).length === 1, "the comment conversation");

    const page = await openConsole();
    // The row says where it comes from and what it is.
    const row = page.getByTestId("conversation-row").filter({ hasText: "Dana Example" });
    await row.waitFor();
    expect(await row.getAttribute("data-kind")).toBe("comment");
    expect(await row.getByTestId("kind").textContent()).toBe("Comment");
    expect(await row.getByTestId("platform").getAttribute("data-platform")).toBe("facebook");
    await row.click();

    // The header: Facebook, a comment, on that post (linked).
    const header = page.getByTestId("conversation-header");
    await header.waitFor();
    expect(await header.getByTestId("platform").textContent()).toContain("Facebook");
    expect(await header.getByTestId("kind").textContent()).toBe("Comment");
    const postLink = header.getByTestId("context-post-link");
    expect(await postLink.getAttribute("href")).toBe(PERMALINK);
    expect(await postLink.getAttribute("rel")).toContain("noopener");
    const comment = message(page, '[data-author="customer"]', "Is the blue one back in stock?");
    await comment.waitFor();

    // Both surfaces are offered; public is the default.
    const publicChoice = page.getByTestId("composer-surface-public");
    const privateChoice = page.getByTestId("composer-surface-private");
    expect(await publicChoice.getAttribute("aria-checked")).toBe("true");
    expect(await privateChoice.getAttribute("aria-checked")).toBe("false");
    expect(await page.getByTestId("composer-counter").textContent()).toContain("/ 2000");

    // A public reply goes to POST /{comment-id}/comments and shows as sent.
    const publicText = "Hi Dana, yes - restocked today!";
    await page.getByTestId("composer-input").fill(publicText);
    await page.screenshot({ path: SCREENSHOT_COMMENT.replace(".png", "-composer.png") });
    await page.getByTestId("composer-send").click();
    const publicReply = message(page, '[data-author="agent"]', publicText);
    await expect.poll(() => statusOf(publicReply), { timeout: LIVE_MS }).toBe("sent");
    expect(await publicReply.getByTestId("message-surface").textContent()).toBe("Public reply");
    const replies = graphCalls((r) => r.method === "POST" && r.path === `/${COMMENT_ID}/comments`);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.body.message).toBe(publicText);

    // A private reply goes to the Page's messages edge, addressed to the comment.
    await privateChoice.click();
    expect(await privateChoice.getAttribute("aria-checked")).toBe("true");
    const privateText = "Hi Dana, want me to reserve a size M for you?";
    await page.getByTestId("composer-input").fill(privateText);
    await page.getByTestId("composer-send").click();
    const privateReply = message(page, '[data-author="agent"]', privateText);
    await expect.poll(() => statusOf(privateReply), { timeout: LIVE_MS }).toBe("sent");
    expect(await privateReply.getByTestId("message-surface").textContent()).toBe("Private reply");
    const privates = graphCalls((r) => r.method === "POST" && r.path.endsWith("/messages") && r.body?.recipient?.comment_id !== undefined);
    expect(privates).toHaveLength(1);
    expect(privates[0]!.path).toBe(`/${PAGE_ID}/messages`);
    expect(privates[0]!.body.recipient).toEqual({ comment_id: COMMENT_ID });
    expect(privates[0]!.body.message.text).toBe(privateText);

    // Only one private reply per comment: the choice disappears, public replies stay possible.
    await expect.poll(() => page.getByTestId("composer-surface-private").count(), { timeout: LIVE_MS }).toBe(0);
    expect(await page.getByTestId("composer-input").isEnabled()).toBe(true);
    expect(await page.getByTestId("composer-hint").textContent()).toContain("Public reply");

    // Hide the customer's comment: the fake receives is_hidden=true, the message shows hidden.
    await comment.getByTestId("moderate-hide").click();
    await expect.poll(() => comment.getAttribute("data-hidden"), { timeout: LIVE_MS }).toBe("true");
    expect(await comment.getByTestId("message-hidden").textContent()).toBe("hidden on the platform");
    const hides = graphCalls((r) => r.method === "POST" && r.path === `/${COMMENT_ID}`);
    expect(hides).toHaveLength(1);
    expect(hides[0]!.query).toEqual({ is_hidden: "true" });
    expect(fake.comments.get(COMMENT_ID)).toEqual({ hidden: true, deleted: false });
    // Now it can be unhidden instead; agents' own replies have no moderation buttons.
    await comment.getByTestId("moderate-unhide").waitFor();
    expect(await comment.getByTestId("moderate-hide").count()).toBe(0);
    expect(await publicReply.getByTestId("moderate-hide").count()).toBe(0);

    // The customer edits the comment on Facebook: it shows as edited, live.
    expect((await fake.sendFixture("facebook-feed-comment-edited.json")).status).toBe(200);
    const edited = message(page, '[data-author="customer"]', "Size M please");
    await edited.getByTestId("message-edited").waitFor({ timeout: LIVE_MS });

    await page.screenshot({ path: SCREENSHOT_COMMENT });

    // ... and then deletes it: struck through, without moderation buttons.
    expect((await fake.sendFixture("facebook-feed-comment-remove.json")).status).toBe(200);
    await expect.poll(() => edited.getAttribute("data-deleted"), { timeout: LIVE_MS }).toBe("true");
    expect(await edited.getByTestId("message-deleted").textContent()).toBe("deleted by the customer");
    expect(await edited.locator("del.message-text").count()).toBe(1);
    expect(await edited.getByTestId("moderate-unhide").count()).toBe(0);
    expect(ui.problems()).toEqual([]);
  });

  it("shows the platform's refusal and the needs-reconnect state, and takes new credentials on the admin page", async () => {
    const page = await openConsole();
    await fake.sendWebhook({
      object: "page",
      entry: [
        {
          id: PAGE_ID,
          time: Math.floor(Date.now() / 1000),
          changes: [
            {
              field: "feed",
              value: {
                from: { id: "27000000000000977", name: "Riley Refused" },
                post: { id: `${PAGE_ID}_555`, permalink_url: "https://www.facebook.com/108000000000001/posts/555" },
                message: "Do you deliver on Sundays?",
                post_id: `${PAGE_ID}_555`,
                comment_id: "555_777",
                created_time: Math.floor(Date.now() / 1000),
                item: "comment",
                parent_id: `${PAGE_ID}_555`,
                verb: "add",
              },
            },
          ],
        },
      ],
    });
    await page.getByTestId("conversation-row").filter({ hasText: "Riley Refused" }).click({ timeout: LIVE_MS });
    const comment = message(page, '[data-author="customer"]', "Sundays");
    await comment.waitFor();

    // Facebook refuses the hide with an expired token: the agent reads why.
    fake.failNext(fixtureJson("meta-error-invalid-token.json"));
    await comment.getByTestId("moderate-hide").click();
    const refusal = comment.getByTestId("error-message");
    await refusal.waitFor({ timeout: LIVE_MS });
    expect((await refusal.textContent())!.length).toBeGreaterThan(10);
    expect(await comment.getAttribute("data-hidden")).toBeNull();

    // The channel now needs reconnecting: a banner, and replies are blocked with the reason.
    await page.getByTestId("channel-reconnect-banner").waitFor({ timeout: LIVE_MS });
    const blocked = page.getByTestId("composer-blocked");
    await blocked.waitFor();
    expect(await blocked.textContent()).toContain("needs reconnecting");
    expect(await page.getByTestId("composer-input").isDisabled()).toBe(true);
    // Notes still work.
    await page.getByTestId("composer-mode-note").click();
    expect(await page.getByTestId("composer-input").isEnabled()).toBe(true);

    // The admin sees it in red on the channel card and enters a new token.
    await page.getByTestId("nav-admin").click();
    const card = page.locator(`[data-testid="channel"][data-channel-id="${channelId}"]`);
    await expect.poll(() => card.getByTestId("channel-status").textContent()).toBe("needs reconnect");
    expect(await card.getByTestId("channel-reconnect-reason").textContent()).toContain("Needs reconnecting");
    await card.getByTestId("channel-reconnect-open").click();
    await card.getByTestId("reconnect-accessToken").fill(PAGE_TOKEN);
    await card.screenshot({ path: "/tmp/parley-social-reconnect.png" });
    await card.getByTestId("channel-reconnect-save").click();
    await expect.poll(() => card.getByTestId("channel-status").textContent(), { timeout: LIVE_MS }).toBe("active");
    const stored = ((await admin.get("/api/channels")).body.items as any[]).find((c) => c.id === channelId);
    expect(stored.status).toBe("active");
    // Health shows the last event.
    expect(await card.getByTestId("channel-last-event").textContent()).not.toBe("never");

    // Reconnected: back in the inbox the comment can be deleted, after a confirmation.
    await page.getByTestId("nav-inbox").click();
    await page.getByTestId("conversation-row").filter({ hasText: "Riley Refused" }).click();
    await page.getByTestId("composer-mode-reply").waitFor();
    expect(await page.getByTestId("channel-reconnect-banner").count()).toBe(0);
    await comment.getByTestId("moderate-delete").click();
    await comment.getByTestId("moderate-delete-cancel").click();
    expect(graphCalls((r) => r.method === "DELETE")).toHaveLength(0);
    await comment.getByTestId("moderate-delete").click();
    await comment.getByTestId("moderate-delete-confirm").click();
    await expect.poll(() => comment.getAttribute("data-deleted"), { timeout: LIVE_MS }).toBe("true");
    expect(await comment.getByTestId("message-deleted").textContent()).toBe("deleted by your team");
    expect(graphCalls((r) => r.method === "DELETE").map((r) => r.path)).toEqual(["/555_777"]);
    expect(ui.problems()).toEqual([]);
  });

  it("shows a Messenger photo fetched into Parley as a preview that opens, and the human-agent window once the 24 hours have passed", async () => {
    const page = await openConsole();
    expect((await fake.sendFixture("messenger-message.json")).status).toBe(200);
    // The fixture's own photo lives on Meta's CDN, which is out of reach here: the same message with the fake's CDN link.
    const delivery = fixtureJson("messenger-message-attachment.json") as any;
    delivery.entry[0].messaging[0].message.attachments[0].payload.url = fake.addMedia("fake_photo_0002.jpg", JPEG, "image/jpeg");
    expect((await fake.sendWebhook(delivery)).status).toBe(200);
    const row = page.getByTestId("conversation-row").and(page.locator('[data-kind="dm"]'));
    await row.click({ timeout: LIVE_MS });
    expect(await row.getByTestId("kind").textContent()).toBe("DM");
    const photo = page.locator('[data-testid="message"][data-author="customer"]').getByTestId("attachment");
    await expect.poll(() => photo.getAttribute("data-status"), { timeout: LIVE_MS }).toBe("stored");
    expect(await photo.locator("img").getAttribute("src")).toMatch(/^\/api\/attachments\//);
    await photo.getByTestId("attachment-preview").click();
    await page.getByRole("dialog").waitFor();
    await page.keyboard.press("Escape");
    await page.getByTestId("lightbox").waitFor({ state: "detached" });
    expect(await page.getByTestId("reply-window").getAttribute("data-state")).toBe("open");
    // A DM has one surface: no public/private choice.
    expect(await page.getByTestId("composer-surface-private").count()).toBe(0);

    // 30 hours since the customer wrote: only a person may answer, with Meta's HUMAN_AGENT tag.
    const conv = ((await admin.get(`/api/conversations?channelId=${channelId}`)).body.items as any[]).find((c) => c.kind === "dm");
    await p.ctx.db.update(conversations).set({ lastCustomerMessageAt: new Date(Date.now() - 30 * 3_600_000) }).where(eq(conversations.id, conv.id));
    await page.reload();
    const windowLine = page.getByTestId("reply-window");
    await expect.poll(() => windowLine.getAttribute("data-state")).toBe("extended");
    expect(await windowLine.textContent()).toMatch(/^24-hour window closed — you can still reply as a human agent until .+ \(5d 1\dh left\)$/);
    const text = "Sorry for the wait, your parcel is on its way.";
    await page.getByTestId("composer-input").fill(text);
    await page.getByTestId("composer-send").click();
    await expect.poll(() => statusOf(message(page, '[data-author="agent"]', text)), { timeout: LIVE_MS }).toBe("sent");
    const sent = graphCalls((r) => r.method === "POST" && r.path === `/${PAGE_ID}/messages` && r.body?.message?.text === text);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({ recipient: { id: "6100000000000011" }, messaging_type: "MESSAGE_TAG", tag: "HUMAN_AGENT" });
    expect(ui.problems()).toEqual([]);
  });

  it("connects a Facebook Page from the admin page and shows its webhook URL and verify token", async () => {
    const page = await openConsole();
    await page.getByTestId("nav-admin").click();
    const form = page.getByTestId("connect-channel");
    await form.getByTestId("channel-platform").selectOption("facebook");
    // The Facebook config block: ids as text, credentials as passwords, the human-agent tag as a checkbox.
    expect(await form.getByTestId("channel-field-appSecret").getAttribute("type")).toBe("password");
    expect(await form.getByTestId("channel-field-accessToken").getAttribute("type")).toBe("password");
    expect(await form.getByTestId("channel-field-pageId").getAttribute("type")).toBe("text");
    expect(await form.getByTestId("channel-field-humanAgentTag").isChecked()).toBe(true);

    const verifyToken = "ui-verify-token-42";
    await form.getByTestId("channel-name").fill("Second Page");
    await form.getByTestId("channel-field-pageId").fill("108000000000002");
    await form.getByTestId("channel-field-appSecret").fill("second-app-secret");
    await form.getByTestId("channel-field-verifyToken").fill(verifyToken);
    await form.getByTestId("channel-field-accessToken").fill("second-page-token");
    await form.getByTestId("channel-bot-enabled").uncheck();
    await form.screenshot({ path: SCREENSHOT_CONNECT });
    await form.getByTestId("channel-create").click();

    const box = form.getByTestId("channel-secret-box");
    await box.waitFor();
    expect(await box.getByTestId("created-webhook-url").textContent()).toMatch(/\/webhooks\/meta$/);
    expect(await box.getByTestId("created-verify-token").textContent()).toBe(verifyToken);
    expect(await box.getByTestId("setup-steps").locator("li").count()).toBeGreaterThan(0);
    await form.screenshot({ path: SCREENSHOT_CONNECT.replace(".png", "-created.png") });

    // It is stored as a Facebook channel with the secrets kept out of its settings, and Meta's handshake works.
    const created = ((await admin.get("/api/channels")).body.items as any[]).find((c) => c.name === "Second Page");
    expect(created).toMatchObject({ platform: "facebook", accountId: "108000000000002", botEnabled: false, status: "active" });
    expect(created.config.appSecret).toBeUndefined();
    expect(created.config.accessToken).toBeUndefined();
    const handshake = await fake.handshake(verifyToken);
    expect(handshake.status).toBe(200);
    expect(handshake.body).toBe(handshake.challenge);

    // Its card lists the platform, the webhook URL and the setup steps (collapsed).
    const card = page.locator(`[data-testid="channel"][data-channel-id="${created.id}"]`);
    await card.waitFor();
    expect(await card.getByTestId("platform").textContent()).toContain("Facebook");
    expect(await card.getByTestId("channel-webhook-url").textContent()).toMatch(/\/webhooks\/meta$/);
    expect(await card.getByTestId("channel-verify-token").textContent()).toBe(verifyToken);
    expect(await card.getByTestId("channel-setup-steps").getAttribute("open")).toBeNull();
    expect(ui.problems()).toEqual([]);
  });
});
