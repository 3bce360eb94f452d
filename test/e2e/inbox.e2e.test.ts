import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page, WebSocketRoute } from "playwright-core";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "../helpers/client.js";
import { startCallbackServer } from "../helpers/callback-server.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "../helpers/parley.js";
import { useConsole, logIn, screenshotPath, scrollsSideways, seriousA11yViolations } from "./browser.js";

/** How long something may take to show up live in the browser. */
const LIVE_MS = 5_000;

/**
 * The console's inbox as agents use it all day, at desktop and phone sizes: views, filters,
 * keyboard, bulk actions, a long virtualized list, right-to-left text, accessibility, dark mode.
 * Features whose server side is not on this branch (search, labels, presence...) degrade quietly:
 * these tests also check that nothing breaks or warns when their endpoints answer 404.
 */
describe("the inbox", () => {
  let p: TestParley;
  let admin: ApiClient;
  let channel: { id: string; secret: string };
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  const ui = useConsole(() => p.url);

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    callback = await startCallbackServer((n) => ({ status: 200, body: { externalId: `ext-${n}` } }));
    channel = await createApiChannel(admin, { callbackUrl: callback.url, botEnabled: false, name: "Web shop" });
    const say = (id: string, text: string, name: string) => postWebhook(p.url, channel.id, channel.secret, customerEvent(id, text, { name }));
    await say("ana", "Where is my parcel? It was due on Monday.", "Ana Souza");
    await say("omar", "مرحبا، أين طلبي؟ لم يصل بعد", "عمر الفاروق");
    await say("lee", "Can I change the size of my order?", "Lee Chen");
    await waitFor(async () => ((await admin.get("/api/conversations")).body.items as any[]).length === 3, "three conversations");
  });

  afterAll(async () => {
    await p?.stop();
    await callback?.close();
  });

  const row = (page: Page, text: string) => page.getByTestId("conversation-row").filter({ hasText: text });
  const conversationId = async (name: string) =>
    ((await admin.get("/api/conversations?limit=100")).body.items as any[]).find((c) => c.contact.name === name).id as string;
  /** Takes focus out of any field, as a person clicking on empty space would, so keys are shortcuts. */
  const blur = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

  it("passes axe and shows the login page", async () => {
    const opened = await ui.open();
    const { page } = opened;
    await page.getByTestId("login-email").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("login") });
  });

  it("moves through conversations with the keyboard, resolves with e and shows the help with ?", async () => {
    const page = await ui.desktop();
    await row(page, "Lee Chen").waitFor();
    await blur(page);

    // j opens the first conversation, then the next; k goes back.
    await page.keyboard.press("j");
    await page.getByTestId("conversation-pane").waitFor();
    const first = await page.getByTestId("conversation-contact").textContent();
    await page.keyboard.press("j");
    await expect.poll(() => page.getByTestId("conversation-contact").textContent()).not.toBe(first);
    await page.keyboard.press("k");
    await expect.poll(() => page.getByTestId("conversation-contact").textContent()).toBe(first);

    // r puts the cursor in the reply box; Esc leaves it, so keys are shortcuts again.
    await page.keyboard.press("r");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("composer-input");
    await page.keyboard.press("Escape");
    // n switches to an internal note.
    await page.keyboard.press("n");
    await expect.poll(() => page.getByTestId("composer-mode-note").getAttribute("aria-checked")).toBe("true");
    await page.keyboard.press("Escape");
    await page.getByTestId("composer-mode-reply").click();
    await blur(page);

    // e resolves: the conversation leaves "All open" and the API agrees.
    const id = await page.getByTestId("conversation-header").getAttribute("data-conversation-id");
    await page.keyboard.press("e");
    await expect.poll(() => page.getByTestId("conversation-status").textContent()).toBe("resolved");
    await expect.poll(() => page.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`).count()).toBe(0);
    expect((await admin.get(`/api/conversations/${id}`)).body.conversation.status).toBe("resolved");
    // ...and is in the Resolved view; e again reopens it.
    await page.getByTestId("view-resolved").click();
    await page.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`).waitFor();
    await blur(page);
    await page.keyboard.press("e");
    await expect.poll(() => page.getByTestId("conversation-status").textContent()).toBe("open");
    await expect.poll(() => page.locator(`[data-testid="conversation-row"][data-conversation-id="${id}"]`).count()).toBe(0);
    await page.getByTestId("view-all").click();

    // / focuses the search box; ? shows every shortcut, Esc closes it.
    await blur(page);
    await page.keyboard.press("/");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("search-input");
    await page.keyboard.press("Escape");
    await page.keyboard.press("?");
    const help = page.getByTestId("shortcuts-help");
    await help.waitFor();
    expect(await help.textContent()).toContain("Next / previous conversation");
    await page.keyboard.press("Escape");
    await expect.poll(() => help.count()).toBe(0);
    expect(ui.problems()).toEqual([]);
  });

  it("assigns to me and shows it in the Mine view; filters by kind", async () => {
    const page = await ui.desktop();
    await row(page, "Ana Souza").click();
    await page.getByTestId("assign-me").click();
    await expect.poll(() => page.getByTestId("conversation-assignee").textContent()).toContain("(you)");
    await page.getByTestId("view-mine").click();
    await row(page, "Ana Souza").waitFor();
    await expect.poll(() => row(page, "Lee Chen").count()).toBe(0);
    await page.getByTestId("view-all").click();
    await row(page, "Lee Chen").waitFor();

    // A filter narrows the view and shows as a chip that removes it.
    await page.getByTestId("filters-button").click();
    await page.getByTestId("filter-kind").selectOption("review");
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByTestId("conversation-row").count()).toBe(0);
    await page.getByTestId("filter-chip").click();
    await row(page, "Lee Chen").waitFor();
    expect(ui.problems()).toEqual([]);
  });

  it("resolves a selection in bulk", async () => {
    const say = (id: string, name: string) => postWebhook(p.url, channel.id, channel.secret, customerEvent(id, "Bulk me please", { name }));
    await say("bulk-1", "Bulk One");
    await say("bulk-2", "Bulk Two");
    const page = await ui.desktop();
    await row(page, "Bulk One").waitFor({ timeout: LIVE_MS });
    await row(page, "Bulk Two").waitFor({ timeout: LIVE_MS });
    for (const name of ["Bulk One", "Bulk Two"]) {
      await page.locator(".row-wrap", { has: row(page, name) }).getByTestId("row-select").check();
    }
    await expect.poll(() => page.getByTestId("bulk-count").textContent()).toBe("2 selected");
    await page.getByTestId("bulk-resolve").click();
    await expect.poll(() => page.getByTestId("bulk-result").textContent()).toBe("2 conversations updated");
    await expect.poll(() => row(page, "Bulk One").count(), { timeout: LIVE_MS }).toBe(0);
    await expect.poll(() => row(page, "Bulk Two").count()).toBe(0);
    for (const name of ["Bulk One", "Bulk Two"]) {
      expect((await admin.get(`/api/conversations/${await conversationId(name)}`)).body.conversation.status).toBe("resolved");
    }
    expect(ui.problems()).toEqual([]);
  });

  it("lays right-to-left text out right to left, passes axe, and looks right in light and dark", async () => {
    const page = await ui.desktop();
    await row(page, "عمر الفاروق").click();
    const text = page.locator('[data-testid="message"][data-author="customer"] .message-text');
    await text.waitFor();
    expect(await text.getAttribute("dir")).toBe("auto");
    expect(await text.evaluate((el) => getComputedStyle(el).direction)).toBe("rtl");
    expect(await row(page, "عمر الفاروق").locator(".row-snippet").evaluate((el) => getComputedStyle(el).direction)).toBe("rtl");
    // The features whose server is not here yet said nothing alarming: no errors, no contract warnings.
    await page.getByTestId("contact-panel").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("conversation") });

    await page.getByTestId("contact-toggle").click();
    await page.getByTestId("view-all").focus();
    await page.screenshot({ path: screenshotPath("inbox-light") });
    await page.emulateMedia({ colorScheme: "dark" });
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe("rgb(15, 20, 27)");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("inbox-dark") });
    // The switch overrides the system: light again.
    await page.getByTestId("theme-switch").click(); // system → dark
    await page.getByTestId("theme-switch").click(); // dark → light
    await expect.poll(() => page.evaluate(() => document.documentElement.getAttribute("data-theme"))).toBe("light");
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe("rgb(246, 247, 249)");
    expect(ui.problems()).toEqual([]);
  });

  it("works at phone size: the list, a conversation, a reply and back, with no sideways scroll", async () => {
    const opened = await ui.openPhone();
    const { page } = opened;
    await logIn(page);
    await row(page, "Lee Chen").waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("inbox-phone-light") });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: screenshotPath("inbox-phone-dark") });
    await page.emulateMedia({ colorScheme: "light" });

    await row(page, "Lee Chen").click();
    await page.getByTestId("conversation-pane").waitFor();
    // One column: the list makes room for the conversation.
    expect(await page.getByTestId("conversation-list").isVisible()).toBe(false);
    expect(await scrollsSideways(page)).toBe(false);
    // The composer and Send are on screen, and a reply goes out.
    const reply = "Yes — reply with the size you want and we change it.";
    await page.getByTestId("composer-input").fill(reply);
    const send = page.getByTestId("composer-send");
    expect(await send.isVisible()).toBe(true);
    const box = (await send.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.y + box.height).toBeLessThanOrEqual(844);
    await send.click();
    const sent = page.locator('[data-testid="message"][data-author="agent"]').filter({ hasText: reply });
    await expect.poll(() => sent.getAttribute("data-status"), { timeout: LIVE_MS }).toBe("sent");
    // The actions are reachable at this width.
    expect(await page.getByTestId("resolve").isVisible()).toBe(true);
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: screenshotPath("conversation-phone") });

    await page.getByTestId("back-to-list").click();
    await row(page, "Lee Chen").waitFor();
    expect(page.url()).toMatch(/#\/inbox$/);
    expect(ui.problems()).toEqual([]);
  });

  it("works on a tablet: list and conversation side by side, the contact panel over it, no sideways scroll", async () => {
    const { page } = await ui.open({ viewport: { width: 820, height: 1180 }, hasTouch: true });
    await logIn(page);
    await row(page, "Ana Souza").click();
    await page.getByTestId("conversation-pane").waitFor();
    expect(await page.getByTestId("conversation-list").isVisible()).toBe(true);
    await page.getByTestId("contact-toggle").click();
    await page.getByTestId("contact-panel").waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    expect(await page.getByTestId("composer-send").isVisible()).toBe(true);
    await page.screenshot({ path: screenshotPath("inbox-tablet") });
    expect(ui.problems()).toEqual([]);
  });

  it("says how long it was offline, and catches up on what it missed", async () => {
    const opened = await ui.open();
    const { page } = opened;
    // The live connection goes through a route the test can cut, as a dropped network would.
    let refuse = false;
    let live: WebSocketRoute | null = null;
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (refuse) return void ws.close();
      live = ws;
      ws.connectToServer();
    });
    await page.reload(); // the route applies to pages loaded after it is set
    await logIn(page);
    await row(page, "Lee Chen").waitFor();

    refuse = true;
    expect(live).not.toBeNull();
    await (live as WebSocketRoute | null)?.close();
    await page.getByTestId("offline-for").waitFor({ timeout: LIVE_MS });
    // A customer writes while the console is offline.
    await postWebhook(p.url, channel.id, channel.secret, customerEvent("while-away", "Anyone there?", { name: "Wendy Waiting" }));
    expect(await row(page, "Wendy Waiting").count()).toBe(0);
    refuse = false;
    // socket.io retries with a growing delay (up to about 7 s): allow a few tries on a busy machine.
    await page.getByTestId("back-online").waitFor({ timeout: 45_000 });
    expect(await page.getByTestId("back-online").textContent()).toMatch(/back after \d+s offline/);
    await row(page, "Wendy Waiting").waitFor({ timeout: LIVE_MS });
    expect(ui.problems()).toEqual([]);
  }, 120_000);

  it("stays light with a long list: only the rows on screen are in the page, and more load on scroll", async () => {
    const many = 120;
    for (let i = 0; i < many; i++) {
      await postWebhook(p.url, channel.id, channel.secret, customerEvent(`many-${i}`, `Question number ${i}`, { name: `Customer ${String(i).padStart(3, "0")}` }));
    }
    await waitFor(async () => ((await admin.get("/api/conversations?limit=100")).body.items as any[]).length === 100, "a hundred conversations", 30_000);
    const page = await ui.desktop();
    const list = page.getByTestId("conversation-list");
    await row(page, "Customer 119").waitFor({ timeout: 20_000 });
    // The first page is in memory, but only a screenful of rows is in the DOM.
    expect(Number(await list.getAttribute("data-count"))).toBeGreaterThanOrEqual(50);
    expect(await page.getByTestId("conversation-row").count()).toBeLessThan(30);
    // Scrolling to the end pages in the rest by cursor.
    for (let i = 0; i < 10 && Number(await list.getAttribute("data-count")) < many + 1; i++) {
      await list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await page.waitForTimeout(300);
    }
    await expect.poll(async () => Number(await list.getAttribute("data-count")), { timeout: 10_000 }).toBeGreaterThanOrEqual(many + 1);
    await list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await row(page, "Customer 000").waitFor();
    expect(await page.getByTestId("conversation-row").count()).toBeLessThan(30);
    expect(ui.problems()).toEqual([]);
  });
});
