import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "../helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "../helpers/parley.js";
import { useConsole, logIn, screenshotPath, scrollsSideways, seriousA11yViolations } from "./browser.js";

/** How long something may take to show up live in the browser. */
const LIVE_MS = 5_000;

const AGENT = { email: "finder@test.local", password: "finder-password-1", name: "Fiona Finder" };

/**
 * Finding and answering in the console against the real finding API: search with highlighted
 * snippets, views with live counts, filters and saved views, labels, snooze and its wake-up by the
 * customer, bulk resolve, paged history, the phone layout and accessibility with the panels open.
 */
describe("finding conversations in the console", () => {
  let p: TestParley;
  let admin: ApiClient;
  let shop: { id: string; secret: string };
  let forum: { id: string; secret: string };
  const ui = useConsole(() => p.url);

  const say = (channel: { id: string; secret: string }, id: string, text: string, name: string) =>
    postWebhook(p.url, channel.id, channel.secret, customerEvent(id, text, { name }));
  const conversationOf = async (name: string) =>
    waitFor<any>(async () => ((await admin.get("/api/conversations?limit=100")).body.items as any[]).find((c) => c.contact.name === name), `the conversation of ${name}`);

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    shop = await createApiChannel(admin, { botEnabled: false, name: "Web shop" });
    forum = await createApiChannel(admin, { botEnabled: false, name: "Forum" });
    const agent = await admin.post("/api/users", { email: AGENT.email, name: AGENT.name, role: "agent", password: AGENT.password });
    expect(agent.status).toBe(201);
    // The agent's team holds both channels, so the agent sees every conversation here.
    expect((await admin.post("/api/teams", { name: "Front desk", memberIds: [agent.body.user.id], channelIds: [shop.id, forum.id] })).status).toBe(201);
    await say(shop, "ana", "Where is my parcel? It was due on Monday.", "Ana Souza");
    await say(shop, "lee", "Can I change the size of my order?", "Lee Chen");
    await say(forum, "kim", "The forum login page is broken for me.", "Kim Park");
    await say(forum, "raj", "Do you ship parcels to Norway?", "Raj Patel");
    await waitFor(async () => ((await admin.get("/api/conversations")).body.items as any[]).length === 4, "four conversations");
  });

  afterAll(async () => {
    await p?.stop();
  });

  const row = (page: Page, text: string) => page.getByTestId("conversation-row").filter({ hasText: text });
  const rowCheckbox = (page: Page, text: string) => page.locator(".row-wrap", { has: row(page, text) }).getByTestId("row-select");
  /** A view's count as shown on its tab; an empty count shows nothing, read as 0. */
  const viewCount = async (page: Page, view: string) => {
    const badge = page.getByTestId(`view-count-${view}`);
    return (await badge.count()) ? Number(await badge.textContent()) : 0;
  };
  /** The server's counts for the caller, to compare with what the tabs show. */
  const serverCounts = async (client: ApiClient) => (await client.get("/api/conversations/counts")).body.counts as Record<"mine" | "unassigned" | "all" | "snoozed" | "resolved", number>;
  /** Takes focus out of any field, as a person clicking on empty space would, so keys are shortcuts. */
  const blur = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

  it("searches from the / shortcut, shows highlighted snippets and opens a result", async () => {
    const page = await ui.desktop();
    await row(page, "Ana Souza").waitFor();
    await blur(page);
    await page.keyboard.press("/");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("search-input");
    await page.keyboard.type("parcel");
    await page.keyboard.press("Enter");

    const results = page.getByTestId("search-results");
    await results.waitFor();
    // Both customers who wrote about parcels, each with the matching word marked.
    const messages = results.getByTestId("search-message");
    await expect.poll(() => messages.count()).toBe(2);
    const ana = messages.filter({ hasText: "Ana Souza" });
    expect((await ana.locator("mark").first().textContent())?.toLowerCase()).toBe("parcel");
    const raj = messages.filter({ hasText: "Raj Patel" });
    expect(await raj.locator("mark").first().textContent()).toMatch(/^parcels?$/i);
    // A short message is shown whole, its first words too.
    expect(await raj.locator(".result-snippet").textContent()).toMatch(/^Do you ship parcels to Norway/);
    expect(await results.getByTestId("search-message").filter({ hasText: "Lee Chen" }).count()).toBe(0);
    await page.screenshot({ path: screenshotPath("search-results") });

    await ana.click();
    await page.getByTestId("conversation-pane").waitFor();
    expect(await page.getByTestId("conversation-contact").textContent()).toBe("Ana Souza");
    expect(await results.count()).toBe(0);

    // A contact is found by part of their name, the match marked.
    await page.getByTestId("search-input").fill("pate");
    await page.getByTestId("search-input").press("Enter");
    const contact = page.getByTestId("search-contact").filter({ hasText: "Raj Patel" });
    await contact.waitFor();
    expect(await contact.locator("mark").textContent()).toBe("Pate");
    // Picking the contact opens their latest conversation with the contact panel beside it.
    await contact.click();
    await expect.poll(() => page.getByTestId("conversation-contact").textContent()).toBe("Raj Patel");
    expect(await page.getByTestId("contact-panel").getByTestId("contact-name").textContent()).toBe("Raj Patel");
    expect(await page.getByTestId("search-results").count()).toBe(0);

    // "Show in the list" filters the inbox by the same words, shown as a chip that removes it.
    await page.getByTestId("search-input").fill("parcel");
    await page.getByTestId("search-input").press("Enter");
    await page.getByTestId("search-filter-list").click();
    await expect.poll(() => page.getByTestId("conversation-row").count()).toBe(2);
    await page.getByTestId("filter-chip-q").click();
    await expect.poll(() => page.getByTestId("conversation-row").count()).toBe(4);
    expect(ui.problems()).toEqual([]);
  });

  it("shows live counts per view, narrows with a filter, saves it as a view and uses it", async () => {
    const page = await ui.desktop();
    await row(page, "Lee Chen").waitFor();
    const server = await serverCounts(admin);
    await expect.poll(() => viewCount(page, "unassigned")).toBe(server.unassigned);
    await expect.poll(() => viewCount(page, "all")).toBe(server.all);
    const mineBefore = await viewCount(page, "mine");

    // Taking a conversation moves it from Unassigned to Mine, in the counts too.
    await row(page, "Lee Chen").click();
    await page.getByTestId("assign-me").click();
    await expect.poll(() => viewCount(page, "mine"), { timeout: LIVE_MS }).toBe(mineBefore + 1);
    await expect.poll(() => viewCount(page, "unassigned"), { timeout: LIVE_MS }).toBe(server.unassigned - 1);
    await page.getByTestId("view-mine").click();
    await row(page, "Lee Chen").waitFor();
    await expect.poll(() => row(page, "Ana Souza").count()).toBe(0);

    // A channel filter on All open, saved under a name.
    await page.getByTestId("view-all").click();
    await page.getByTestId("filters-button").click();
    await page.getByTestId("filter-channel").selectOption({ label: "Forum" });
    await expect.poll(() => page.getByTestId("conversation-row").count()).toBe(2);
    await row(page, "Kim Park").waitFor();
    await page.getByTestId("save-view-name").fill("Forum questions");
    await page.getByTestId("save-view").click();
    const saved = page.getByTestId("saved-view").filter({ hasText: "Forum questions" });
    await saved.waitFor();
    // The list now shows exactly the saved view, and its tab says so.
    await expect.poll(() => saved.getAttribute("aria-pressed")).toBe("true");
    expect(((await admin.get("/api/views")).body.items as any[]).map((v) => v.name)).toContain("Forum questions");

    // Back to everything, then the saved view brings the filter back (and keeps after a reload).
    await page.getByTestId("filter-chip").click();
    await expect.poll(() => page.getByTestId("conversation-row").count()).toBe(4);
    expect(await saved.getAttribute("aria-pressed")).toBe("false");
    expect(await page.getByTestId("list-title").textContent()).toBe("All open");
    await page.reload();
    await saved.click();
    await expect.poll(() => page.getByTestId("conversation-row").count()).toBe(2);
    await row(page, "Raj Patel").waitFor();
    expect(await page.getByTestId("filter-chip").textContent()).toContain("Forum");
    expect([await saved.getAttribute("aria-pressed"), await page.getByTestId("view-all").getAttribute("aria-pressed")]).toEqual(["true", "false"]);
    expect(await page.getByTestId("list-title").textContent()).toBe("Forum questions");
    await page.screenshot({ path: screenshotPath("inbox-saved-view") });
    expect(ui.problems()).toEqual([]);
  });

  it("labels: an admin adds one with a colour, an agent puts it on a conversation and filters by it", async () => {
    const adminPage = await ui.desktop();
    await adminPage.goto("/#/admin/labels");
    await adminPage.getByTestId("label-name").fill("Shipping");
    await adminPage.getByTestId("label-color").fill("#be185d");
    await adminPage.getByTestId("label-create").click();
    await expect.poll(async () => ((await admin.get("/api/labels")).body.items as any[]).map((l) => [l.name, l.color])).toContainEqual(["Shipping", "#be185d"]);
    await adminPage.context().close();
    expect((await admin.post("/api/labels", { name: "VIP", color: "#7c3aed" })).status).toBe(201);

    const page = await ui.desktop(AGENT);
    await row(page, "Raj Patel").click();
    await page.getByTestId("conversation-pane").waitFor();
    // l opens the labels menu.
    await blur(page);
    await page.keyboard.press("l");
    // Two boxes ticked one right after the other, on a slow network (the server's answer takes a
    // moment): each ticks at once, and both labels are kept.
    await page.route("**/api/conversations/*/labels", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.continue();
    });
    const option = (name: string) => page.getByTestId("labels-options").locator("label", { hasText: name }).getByTestId("label-option");
    await option("Shipping").check();
    await option("VIP").check();
    await expect.poll(async () => ((await conversationOf("Raj Patel")).labels as string[]).sort(), { timeout: LIVE_MS }).toEqual(["Shipping", "VIP"]);
    expect(await option("Shipping").isChecked()).toBe(true);
    await page.keyboard.press("Escape");
    // The chip in its colour, in the header and on the row; the server has it.
    const chip = page.getByTestId("conversation-header").getByTestId("label-chip").filter({ hasText: "Shipping" });
    await chip.waitFor({ timeout: LIVE_MS });
    expect(await chip.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(190, 24, 93)");
    await row(page, "Raj Patel").getByTestId("label-chip").filter({ hasText: "Shipping" }).waitFor({ timeout: LIVE_MS });
    await page.screenshot({ path: screenshotPath("conversation-labels") });

    await page.getByTestId("filters-button").click();
    await page.getByTestId("filter-label").selectOption("Shipping");
    await page.keyboard.press("Escape");
    await expect.poll(() => page.getByTestId("conversation-row").count()).toBe(1);
    await row(page, "Raj Patel").waitFor();
    expect(ui.problems()).toEqual([]);
  });

  it("snoozes a conversation until a time; it leaves the open views and wakes when the customer writes", async () => {
    const page = await ui.desktop(AGENT);
    await page.getByTestId("view-all").click();
    await row(page, "Kim Park").click();
    await page.getByTestId("conversation-pane").waitFor();
    const snoozedBefore = await viewCount(page, "snoozed");
    // s opens the snooze menu; a time of the agent's choosing.
    await blur(page);
    await page.keyboard.press("s");
    const until = new Date(Date.now() + 3 * 3_600_000);
    const local = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}T${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
    await page.getByTestId("snooze-custom").fill(local(until));
    await page.getByTestId("snooze-custom-save").click();

    await expect.poll(() => page.getByTestId("conversation-status").textContent(), { timeout: LIVE_MS }).toBe("snoozed");
    expect(await page.getByTestId("snoozed-until").isVisible()).toBe(true);
    await expect.poll(() => row(page, "Kim Park").count(), { timeout: LIVE_MS }).toBe(0);
    await expect.poll(() => viewCount(page, "snoozed"), { timeout: LIVE_MS }).toBe(snoozedBefore + 1);
    const kim = await conversationOf("Kim Park");
    expect(kim.status).toBe("snoozed");
    // The minute the agent picked, in their own time zone.
    expect(Math.abs(new Date(kim.snoozedUntil).getTime() - until.getTime())).toBeLessThan(60_000);
    await page.getByTestId("view-snoozed").click();
    await row(page, "Kim Park").waitFor();

    // The customer writes again: it wakes at once, back in All open, without a reload.
    await page.getByTestId("view-all").click();
    await say(forum, "kim", "Hello? Still broken.", "Kim Park");
    await row(page, "Kim Park").waitFor({ timeout: LIVE_MS });
    await expect.poll(() => page.getByTestId("conversation-status").textContent(), { timeout: LIVE_MS }).toBe("open");
    await expect.poll(() => viewCount(page, "snoozed"), { timeout: LIVE_MS }).toBe(snoozedBefore);
    expect(ui.problems()).toEqual([]);
  });

  it("selects rows with x and the boxes, resolves them in one action, and the counts follow", async () => {
    await say(shop, "bulk-1", "Bulk question one", "Bea Bulk");
    await say(shop, "bulk-2", "Bulk question two", "Bo Bulk");
    await say(shop, "bulk-3", "Bulk question three", "Bix Bulk");
    const page = await ui.desktop(AGENT);
    await page.getByTestId("view-all").click();
    for (const name of ["Bea Bulk", "Bo Bulk", "Bix Bulk"]) await row(page, name).waitFor({ timeout: LIVE_MS });
    const before = await serverCounts(admin);
    await expect.poll(() => viewCount(page, "all")).toBe(before.all);
    const resolvedBefore = await viewCount(page, "resolved");

    // x selects the open conversation; the boxes add the others.
    await row(page, "Bea Bulk").click();
    await page.getByTestId("conversation-pane").waitFor();
    await blur(page);
    await page.keyboard.press("x");
    await expect.poll(() => page.getByTestId("bulk-count").textContent()).toBe("1 selected");
    await rowCheckbox(page, "Bo Bulk").check();
    await rowCheckbox(page, "Bix Bulk").check();
    await expect.poll(() => page.getByTestId("bulk-count").textContent()).toBe("3 selected");
    await page.screenshot({ path: screenshotPath("inbox-bulk") });
    await page.getByTestId("bulk-resolve").click();
    await expect.poll(() => page.getByTestId("bulk-result").textContent()).toBe("3 conversations updated");
    for (const name of ["Bea Bulk", "Bo Bulk", "Bix Bulk"]) {
      await expect.poll(() => row(page, name).count(), { timeout: LIVE_MS }).toBe(0);
      expect((await conversationOf(name)).status).toBe("resolved");
    }
    await expect.poll(() => viewCount(page, "all"), { timeout: LIVE_MS }).toBe(before.all - 3);
    await expect.poll(() => viewCount(page, "resolved"), { timeout: LIVE_MS }).toBe(resolvedBefore + 3);
    expect(ui.problems()).toEqual([]);
  });

  it("loads older messages when the reader scrolls up a long history", async () => {
    const total = 65;
    for (let i = 1; i <= total; i++) await say(shop, "chatty", `Chatty line ${String(i).padStart(2, "0")}`, "Chet Chatty");
    const chatty = await conversationOf("Chet Chatty");
    await waitFor(async () => (await admin.get(`/api/conversations/${chatty.id}/messages?limit=100`)).body.items?.length === total, "every message stored", 20_000);

    const page = await ui.desktop(AGENT);
    await page.getByTestId("view-all").click();
    await row(page, "Chet Chatty").click();
    const messages = page.getByTestId("timeline").getByTestId("message");
    await messages.filter({ hasText: `Chatty line ${total}` }).waitFor();
    // The newest page first, and the reader starts at the bottom.
    expect(await messages.count()).toBe(50);
    expect(await messages.filter({ hasText: "Chatty line 01" }).count()).toBe(0);
    const scroller = page.getByTestId("timeline-scroller");
    expect(await scroller.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(80);

    // Scrolling to the top pages in the rest, keeping the message that was on top in view.
    const wasFirst = messages.filter({ hasText: "Chatty line 16" });
    await scroller.evaluate((el) => el.scrollTo(0, 0));
    await expect.poll(() => messages.count(), { timeout: LIVE_MS }).toBe(total);
    await messages.filter({ hasText: "Chatty line 01" }).waitFor({ state: "attached" });
    expect(await page.getByTestId("load-older").count()).toBe(0);
    const kept = await wasFirst.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const view = el.closest('[data-testid="timeline-scroller"]')!.getBoundingClientRect();
      return box.bottom > view.top && box.top < view.bottom;
    });
    expect(kept).toBe(true);
    expect(ui.problems()).toEqual([]);
  });

  it("works at phone width: search, filters and a conversation's menus fit; list, conversation and back", async () => {
    const opened = await ui.openPhone();
    const { page } = opened;
    await logIn(page, AGENT);
    await page.getByTestId("view-all").click();
    await row(page, "Ana Souza").waitFor();
    expect(await scrollsSideways(page)).toBe(false);

    await page.getByTestId("search-input").fill("parcel");
    await page.getByTestId("search-input").press("Enter");
    await page.getByTestId("search-results").getByTestId("search-message").first().waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await page.screenshot({ path: screenshotPath("search-phone") });
    await page.getByTestId("search-close").click();

    await page.getByTestId("filters-button").click();
    await page.getByTestId("filters-menu").waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await page.getByTestId("filters-button").click();

    await row(page, "Ana Souza").click();
    await page.getByTestId("conversation-pane").waitFor();
    expect(await page.getByTestId("conversation-list").isVisible()).toBe(false);
    for (const menu of ["labels-menu", "snooze-menu"]) {
      await page.getByTestId(menu).click();
      expect(await scrollsSideways(page)).toBe(false);
      await page.getByTestId(menu).click();
    }
    const send = page.getByTestId("composer-send");
    await page.getByTestId("composer-input").fill("It left the warehouse this morning.");
    const box = (await send.boundingBox())!;
    expect(box.x >= 0 && box.x + box.width <= 390 && box.y + box.height <= 844).toBe(true);
    await send.click();
    await expect.poll(() => page.locator('[data-testid="message"][data-author="agent"]').filter({ hasText: "warehouse" }).count(), { timeout: LIVE_MS }).toBe(1);
    expect(await scrollsSideways(page)).toBe(false);

    await page.getByTestId("back-to-list").click();
    await row(page, "Ana Souza").waitFor();
    expect(ui.problems()).toEqual([]);
  });

  it("has no serious accessibility violations with search, filters, the bulk bar and the menus open", async () => {
    const page = await ui.desktop(AGENT);
    await page.getByTestId("view-all").click();
    await row(page, "Ana Souza").waitFor();
    await page.getByTestId("search-input").fill("parcel");
    await page.getByTestId("search-input").press("Enter");
    await page.getByTestId("search-results").getByTestId("search-message").first().waitFor();
    await page.getByTestId("filters-button").click();
    await page.getByTestId("filters-menu").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByTestId("filters-button").click();
    await page.getByTestId("search-close").click();

    await rowCheckbox(page, "Ana Souza").check();
    await page.getByTestId("bulk-bar").waitFor();
    await row(page, "Ana Souza").click();
    for (const menu of ["labels-menu", "snooze-menu"]) {
      await page.getByTestId("conversation-header").getByTestId(menu).click();
      expect(await seriousA11yViolations(page)).toEqual([]);
      await page.keyboard.press("Escape");
    }
    expect(ui.problems()).toEqual([]);
  });
});
