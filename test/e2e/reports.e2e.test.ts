import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "../helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "../helpers/parley.js";
import { useConsole, logIn, screenshotPath, seriousA11yViolations } from "./browser.js";

/** The reports page (charts, presets, breakdown, CSV) and the live view that follows changes by itself. */
describe("reports and live view", () => {
  let p: TestParley;
  let admin: ApiClient;
  let channel: { id: string; secret: string };
  const ui = useConsole(() => p.url);

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    channel = await createApiChannel(admin, { name: "Shop" });
    // One answered conversation: a first response to chart.
    await postWebhook(p.url, channel.id, channel.secret, customerEvent("ann", "Hello"));
    const id = await waitFor(async () => (await admin.get("/api/conversations")).body.items[0]?.id as string, "conversation");
    expect((await admin.post(`/api/conversations/${id}/messages`, { text: "Hi Ann" })).status).toBe(201);
  });
  afterAll(async () => {
    await p?.stop();
  });

  it("renders the overview, charts and a breakdown; presets change the period; the CSV link downloads the same numbers", async () => {
    const opened = await ui.open();
    const { page } = opened;
    await logIn(page);
    await page.getByTestId("nav-reports").click();
    await page.getByTestId("report-table").waitFor();
    await expect.poll(() => page.getByTestId("report-firstResponseTime").locator("td").first().textContent()).toBe("1");
    await expect.poll(() => page.getByTestId("overview-conversations").textContent()).toContain("1");
    // Recharts drew both charts (an SVG surface each), and the breakdown lists the admin who replied.
    await page.getByTestId("chart-daily").locator("svg.recharts-surface").first().waitFor();
    await page.getByTestId("chart-breakdown").locator("svg.recharts-surface").first().waitFor();
    await page.getByTestId("report-breakdown-table").getByText("Admin").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("reports-charts"), fullPage: true });

    // Presets: today is one day; the last 30 days start 29 days before today.
    const to = await page.getByTestId("report-to").inputValue();
    await page.getByTestId("preset-today").click();
    expect(await page.getByTestId("report-from").inputValue()).toBe(to);
    await page.getByTestId("preset-30d").click();
    const from = new Date(`${await page.getByTestId("report-from").inputValue()}T00:00:00`);
    expect(Math.round((new Date(`${to}T00:00:00`).getTime() - from.getTime()) / 86400_000)).toBe(29);
    expect(await page.getByTestId("preset-30d").getAttribute("aria-pressed")).toBe("true");

    // The CSV link carries the page's filters and the breakdown; fetched with the session, it is the report.
    await page.getByTestId("report-breakdown").selectOption("channel");
    const href = await page.getByTestId("report-csv").getAttribute("href");
    expect(href).toMatch(/^\/api\/reports\/response-times\?.*groupBy=channel.*format=csv/);
    const csv = await page.evaluate(async (url) => {
      const res = await fetch(url);
      return { type: res.headers.get("content-type"), text: await res.text() };
    }, href!);
    expect(csv.type).toBe("text/csv; charset=utf-8");
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]!.startsWith("key,label,first_response_count")).toBe(true);
    expect(lines[2]).toMatch(new RegExp(`^${channel.id},Shop,1,`));
    expect(ui.problems()).toEqual([]);
  });

  it("the live view updates by itself when a customer starts waiting", async () => {
    const opened = await ui.open();
    const { page } = opened;
    await logIn(page);
    await page.goto(`${p.url}/#/reports/live`);
    const waiting = page.getByTestId("live-waiting");
    await waiting.waitFor();
    const before = Number((await waiting.locator(".stat-card-value").textContent()) ?? "0");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("reports-live"), fullPage: true });

    await postWebhook(p.url, channel.id, channel.secret, customerEvent("ben", "Anyone there?"));
    await expect.poll(async () => Number(await waiting.locator(".stat-card-value").textContent()), { timeout: 10_000 }).toBe(before + 1);
    await page.getByTestId("live-agents").getByText("Admin").waitFor();
    expect(ui.problems()).toEqual([]);
  });
});
