import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "../helpers/client.js";
import { startCallbackServer } from "../helpers/callback-server.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "../helpers/parley.js";
import { useConsole, submitLogIn, waitForLiveInbox } from "./browser.js";

/** How long something may take to show up live in the browser. */
const LIVE_MS = 5_000;
const SCREENSHOT = "/tmp/parley-inbox.png";

describe("the web console", () => {
  let p: TestParley;
  let admin: ApiClient;
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  let channel: { id: string; secret: string };
  const ui = useConsole(() => p.url);

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    callback = await startCallbackServer((n) => ({ status: 200, body: { externalId: `ext-${n}` } }));
    channel = await createApiChannel(admin, { callbackUrl: callback.url, botEnabled: false, name: "Web shop" });
  });

  afterAll(async () => {
    await p?.stop();
    await callback?.close();
  });

  /** A fresh browser profile (no cookies) on the console. */
  const openConsole = async (): Promise<Page> => (await ui.open()).page;

  /** Logs in through the form, as a person would, and waits for the live inbox. */
  async function logIn(page: Page) {
    await submitLogIn(page);
    await page.getByTestId("nav-inbox").and(page.locator('[aria-current="page"]')).waitFor();
    expect(page.url()).toMatch(/#\/inbox$/);
    // Connected for live updates, and the first page of the list has loaded.
    await waitForLiveInbox(page);
  }

  const row = (page: Page, text: string) => page.getByTestId("conversation-row").filter({ hasText: text });
  const message = (page: Page, attrs: string, text: string) => page.locator(`[data-testid="message"]${attrs}`).filter({ hasText: text });
  const statusOf = (m: Locator) => m.getAttribute("data-status");

  /** Marks the document, so a later check can tell it was never reloaded. */
  const markDocument = (page: Page) => page.evaluate(() => ((window as any).__parleyE2eMark = "still here"));
  const expectNotReloaded = async (page: Page) =>
    expect(await page.evaluate(() => (window as any).__parleyE2eMark)).toBe("still here");

  it("shows a customer message live, sends the agent's reply and follows its delivery", async () => {
    // A conversation that exists before the agent logs in: it comes with the first page.
    await postWebhook(p.url, channel.id, channel.secret, customerEvent("e2e-early", "Do you ship to Norway?", { name: "Early Bird" }));
    await waitFor(async () => ((await admin.get("/api/conversations")).body.items as any[]).length === 1, "the first conversation");

    const page = await openConsole();
    await page.getByTestId("login-email").waitFor();
    await logIn(page);
    await row(page, "Early Bird").waitFor();
    await markDocument(page);

    // A new customer writes in: the row appears live, at the top (latest activity first).
    const text = "My order #1042 has not arrived yet";
    const sent = await postWebhook(p.url, channel.id, channel.secret, customerEvent("e2e-dana", text, { name: "Dana Scully" }));
    expect(sent.status).toBe(200);
    const danaRow = row(page, "Dana Scully");
    await danaRow.waitFor({ timeout: LIVE_MS });
    await expect.poll(() => danaRow.textContent()).toContain(text);
    await expect.poll(() => page.getByTestId("conversation-row").first().textContent()).toContain("Dana Scully");
    await expectNotReloaded(page);

    // Open it: the customer's message is in the timeline.
    await danaRow.click();
    await page.getByTestId("conversation-pane").waitFor();
    await expect.poll(() => page.getByTestId("conversation-contact").textContent()).toBe("Dana Scully");
    const theirs = message(page, '[data-author="customer"]', text);
    await theirs.waitFor();
    expect(await theirs.locator(".badge").count()).toBe(0); // a direct message carries no "private reply" label
    expect(await page.getByTestId("conversation-header").textContent()).toContain("Web shop");

    // Reply through the composer: queued, then "sent" once the callback accepted it.
    const reply = "Sorry about that, Dana! It left our warehouse today.";
    await page.getByTestId("composer-input").fill(reply);
    await page.getByTestId("composer-send").click();
    const mine = message(page, '[data-author="agent"]', reply);
    await mine.waitFor();
    // The socket may show the message before the POST answer clears the composer.
    await expect.poll(() => page.getByTestId("composer-input").inputValue()).toBe("");
    await expect.poll(() => statusOf(mine), { timeout: LIVE_MS }).toBe("sent");
    await expect.poll(() => mine.getByTestId("message-status").textContent()).toBe("Sent");

    // The source system received exactly that text, once.
    const calls = callback.received.filter((r) => r.body?.text === reply);
    expect(calls).toHaveLength(1);
    const messageId = calls[0]!.body.messageId as string;
    expect(await mine.getAttribute("data-message-id")).toBe(messageId);
    expect(calls[0]!.body.contact).toEqual({ externalId: "e2e-dana" });
    expect(await mine.locator(".badge").count()).toBe(0); // an ordinary reply: no "note" / "private reply" label

    // It reports the delivery with a signed receipt: the status follows live.
    const receipt = await postWebhook(p.url, channel.id, channel.secret, { eventId: `receipt-${messageId}`, receipt: { messageId, status: "delivered" } });
    expect(receipt.status).toBe(200);
    await expect.poll(() => statusOf(mine), { timeout: LIVE_MS }).toBe("delivered");
    await expect.poll(() => mine.getByTestId("message-status").textContent()).toBe("Delivered");

    // The list row shows the reply as the latest message.
    await expect.poll(() => danaRow.textContent(), { timeout: LIVE_MS }).toContain(`Reply: ${reply}`);
    await expectNotReloaded(page);
    expect(ui.problems()).toEqual([]);

    await page.screenshot({ path: SCREENSHOT });
  });

  it("renders customer text containing HTML as literal text", async () => {
    const page = await openConsole();
    await logIn(page);
    await markDocument(page);

    const html = `<img src=x onerror="window.__xss=1">bold <b>text</b>`;
    await postWebhook(p.url, channel.id, channel.secret, customerEvent("e2e-mallory", html, { name: "Mallory <i>Evil</i>" }));
    const malloryRow = row(page, "Mallory <i>Evil</i>");
    await malloryRow.waitFor({ timeout: LIVE_MS });
    await expect.poll(() => malloryRow.textContent()).toContain(html);
    await expectNotReloaded(page);

    await malloryRow.click();
    const m = message(page, '[data-author="customer"]', "bold");
    await m.waitFor();
    expect(await m.locator(".message-text").textContent()).toBe(html);
    expect(await page.locator("body").innerText()).toContain(html);
    // Nothing was turned into markup: no <b>, <i> or <img> anywhere in the inbox, no script ran.
    expect(await page.locator(".inbox b, .inbox i, .inbox img").count()).toBe(0);
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
    expect(ui.problems()).toEqual([]);
  });

  it("lets an admin clear a channel's callback URL", async () => {
    const other = await createApiChannel(admin, { name: "Clear me", callbackUrl: "https://example.com/old-callback" });
    const page = await openConsole();
    await logIn(page);
    await page.getByTestId("nav-admin").click();
    const card = page.locator(`[data-testid="channel"][data-channel-id="${other.id}"]`);
    await expect.poll(() => card.getByTestId("channel-callback").textContent()).toBe("https://example.com/old-callback");

    await card.getByRole("button", { name: "Edit", exact: true }).click();
    await card.getByTestId("channel-edit-callback-url").fill("");
    await card.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => card.getByTestId("channel-callback").textContent()).toBe("none");
    const stored = ((await admin.get("/api/channels")).body.items as any[]).find((c) => c.id === other.id);
    expect(stored.config.callbackUrl ?? null).toBeNull();
    await page.screenshot({ path: "/tmp/parley-admin.png", fullPage: true });
    expect(ui.problems()).toEqual([]);
  });

  it("shows an internal note as a note and never sends it to the source system", async () => {
    const page = await openConsole();
    await logIn(page);

    await postWebhook(p.url, channel.id, channel.secret, customerEvent("e2e-note", "Can I change my delivery address?", { name: "Nora Note" }));
    await row(page, "Nora Note").click({ timeout: LIVE_MS });
    await message(page, '[data-author="customer"]', "delivery address").waitFor();

    const note = "Customer is a VIP — check the address change with logistics first";
    await page.getByTestId("composer-mode-note").click();
    await page.getByTestId("composer-input").fill(note);
    await page.getByTestId("composer-send").filter({ hasText: "Add note" }).click();

    const shown = message(page, '[data-visibility="note"]', note);
    await shown.waitFor();
    expect(await shown.getAttribute("class")).toContain("message-note");
    expect(await shown.textContent()).toContain("Internal note");
    expect(await shown.getByTestId("message-status").count()).toBe(0);
    // Styled as a note: the note background, unlike a reply's.
    const background = await shown.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).toBe("rgb(255, 248, 214)");

    // A public reply after it reaches the source system; the note never does.
    await page.getByTestId("composer-mode-reply").click();
    const reply = "Yes, we can change it until the parcel ships.";
    await page.getByTestId("composer-input").fill(reply);
    await page.getByTestId("composer-send").filter({ hasText: "Send" }).click();
    const replied = message(page, '[data-author="agent"]:not([data-visibility="note"])', reply);
    await expect.poll(() => statusOf(replied), { timeout: LIVE_MS }).toBe("sent");
    expect(callback.received.filter((r) => r.body?.text === reply)).toHaveLength(1);
    expect(callback.received.filter((r) => r.raw.includes("VIP"))).toHaveLength(0);
    // The note keeps its place in the timeline, before the reply, still a note.
    const timeline = await page
      .locator('[data-testid="message"]')
      .evaluateAll((els) => els.map((el) => `${el.getAttribute("data-author")}:${el.getAttribute("data-visibility")}`));
    // (A reply in a direct conversation may be stored as "public" or "private": both reach the customer.)
    expect(timeline).toEqual([expect.stringMatching(/^customer:/), "agent:note", expect.stringMatching(/^agent:(public|private)$/)]);
    expect(ui.problems()).toEqual([]);
  });
});
