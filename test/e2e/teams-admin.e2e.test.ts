import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweep } from "../../server/pipeline/sweeper.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "../helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "../helpers/parley.js";
import { addPerson, type Person } from "../helpers/people.js";
import { useConsole, logIn, screenshotPath, scrollsSideways, seriousA11yViolations } from "./browser.js";

/** How long something may take to show up live in the browser. */
const LIVE_MS = 5_000;

/**
 * The console for teams, business hours and SLA policies, and SLA deadlines in the inbox: a breach
 * pushed by the server (after the test clock passes the deadline) shows on the row and the header
 * without a reload.
 */
describe("teams, business hours and SLAs in the console", () => {
  let p: TestParley;
  let admin: ApiClient;
  let priya: Person;
  let channel: { id: string; secret: string };
  const ui = useConsole(() => p.url);

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    priya = await addPerson(admin, "Priya Agent");
    channel = await createApiChannel(admin, { botEnabled: false, name: "Web shop" });
    await postWebhook(p.url, channel.id, channel.secret, customerEvent("old", "An older question", { name: "Olga Old" }));
  });
  afterAll(async () => {
    await p?.stop();
  });
  const teams = async () => (await admin.get("/api/teams")).body.items as any[];

  it("creates, edits and deletes teams: members, channels, assignment, capacity, offline behaviour, own hours", async () => {
    const page = await ui.desktop();
    await page.goto(`${p.url}/#/admin/teams`);
    for (const name of ["Support", "Temporary"]) {
      await page.getByTestId("team-new-name").fill(name);
      await page.getByTestId("team-create").click();
      await page.getByTestId("team").filter({ hasText: name }).waitFor();
    }
    const temp = page.getByTestId("team").filter({ hasText: "Temporary" });
    await temp.getByTestId("team-delete").click();
    await temp.getByTestId("team-delete-confirm").click();
    await temp.waitFor({ state: "detached" });
    expect((await teams()).map((t) => t.name)).toEqual(["Support"]);

    const support = page.getByTestId("team").filter({ hasText: "Support" });
    await support.getByTestId("team-edit").click();
    const form = support.getByTestId("team-form");
    await form.getByLabel("Priya Agent").check();
    await form.getByLabel("Web shop").check();
    await form.getByTestId("team-policy").selectOption("round_robin");
    await form.getByTestId("team-capacity").fill("5");
    await form.getByTestId("team-offline").selectOption("keep");
    await form.getByTestId("team-own-hours").check();
    await form.getByTestId("hours-time-zone").fill("Europe/Berlin");
    await form.getByRole("button", { name: "Remove Friday opening 1" }).click();
    await form.getByTestId("team-save").click();
    await support.getByTestId("team-members").getByText("Priya Agent").waitFor();
    const [team] = await teams();
    expect(team).toMatchObject({
      memberIds: [priya.id],
      channelIds: [channel.id],
      assignment: { policy: "round_robin", capacity: 5, whenOffline: "keep" },
      businessHours: { timeZone: "Europe/Berlin", weekly: { mon: [{ from: "09:00", to: "17:00" }], fri: [], sun: [] } },
    });
    await support.getByTestId("team-channels").getByText("Web shop").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("admin-teams"), fullPage: true });
    expect(ui.problems()).toEqual([]);
  });

  it("sets the workspace's business hours and holidays, refusing impossible hours in words", async () => {
    const page = await ui.desktop();
    await page.goto(`${p.url}/#/admin/hours`);
    const form = page.getByTestId("workspace-hours");
    await form.waitFor();
    await form.getByTestId("hours-time-zone").fill("America/New_York");
    await form.getByRole("button", { name: "Remove Sunday opening 1" }).click();
    await form.getByRole("button", { name: "Remove Saturday opening 1" }).click();
    await form.getByRole("button", { name: "Add hours on Saturday" }).click();
    await form.getByLabel("Saturday opening 1 to").fill("08:00");
    await form.getByTestId("hours-save").click();
    await form.getByTestId("error-message").getByText("from must be before to").waitFor();
    await form.getByLabel("Saturday opening 1 to").fill("13:00");
    await form.getByTestId("hours-holidays").fill("2026-12-25 Christmas\n2027-01-01");
    await form.getByTestId("hours-save").click();
    await form.getByText("Saved.").waitFor();
    const saved = (await admin.get("/api/business-hours")).body;
    expect(saved.isDefault).toBe(false);
    expect(saved.businessHours).toMatchObject({
      timeZone: "America/New_York",
      weekly: { sat: [{ from: "09:00", to: "13:00" }], sun: [] },
      holidays: [{ date: "2026-12-25", name: "Christmas" }, { date: "2027-01-01" }],
    });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("admin-hours"), fullPage: true });
    expect(ui.problems()).toEqual([]);
  });

  it("manages SLA policies, then shows a conversation's deadline and its breach live on the row and the header", async () => {
    const page = await ui.desktop();
    await page.goto(`${p.url}/#/admin/sla`);
    await page.getByTestId("sla-new").click();
    let form = page.getByTestId("sla-form");
    await form.getByTestId("sla-name").fill("Fast first reply");
    await form.getByTestId("sla-firstResponseSeconds").fill("1");
    await form.getByLabel("Direct messages").check();
    await form.getByTestId("sla-save").click();
    const item = page.getByTestId("sla-policy").filter({ hasText: "Fast first reply" });
    await item.waitFor();
    let [policy] = (await admin.get("/api/sla-policies")).body.items as any[];
    expect(policy).toMatchObject({ name: "Fast first reply", firstResponseSeconds: 60, nextResponseSeconds: null, businessHours: false, match: { kinds: ["dm"] } });
    await item.getByTestId("sla-edit").click();
    form = item.getByTestId("sla-form");
    await form.getByTestId("sla-name").fill("Fast first replies");
    await form.getByTestId("sla-nextResponseSeconds").fill("30");
    await form.getByTestId("sla-save").click();
    await page.getByTestId("sla-policy").filter({ hasText: "Fast first replies" }).waitFor();
    [policy] = (await admin.get("/api/sla-policies")).body.items as any[];
    expect(policy).toMatchObject({ name: "Fast first replies", firstResponseSeconds: 60, nextResponseSeconds: 1800 });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("admin-sla"), fullPage: true });

    // A new direct message gets the policy's first-response deadline.
    await postWebhook(p.url, channel.id, channel.secret, customerEvent("zoe", "Hello, is anyone there?", { name: "Zoe Quick" }));
    const conv = await waitFor(async () => ((await admin.get("/api/conversations")).body.items as any[]).find((c) => c.contact.name === "Zoe Quick"), "Zoe's conversation");
    expect(conv.sla).toMatchObject({ policyId: policy.id, metric: "first_response", breachedAt: null });

    await page.getByTestId("nav-inbox").click();
    const row = page.getByTestId("conversation-row").filter({ hasText: "Zoe Quick" });
    await row.getByTestId("sla").getByText("First response:").waitFor();
    // The open conversation from before the policy got a deadline too, an earlier one: by activity
    // Zoe comes first, by time to breach Olga.
    await page.getByTestId("conversation-row").filter({ hasText: "Olga Old" }).getByTestId("sla").waitFor();
    await expect.poll(async () => page.getByTestId("conversation-row").first().textContent()).toContain("Zoe Quick");
    await page.getByTestId("sort").selectOption("breach");
    await expect.poll(async () => page.getByTestId("conversation-row").first().textContent()).toContain("Olga Old");
    await row.click();
    const header = page.getByTestId("conversation-pane").getByTestId("sla");
    await header.getByText("First response:").waitFor();

    // The server's clock passes the deadline; its sweeper fires the breach, pushed to the console.
    p.clock.advance(2 * 60_000);
    await sweep(p.ctx);
    await row.getByTestId("sla").getByText("First response overdue").waitFor({ timeout: LIVE_MS });
    await header.getByText("First response overdue").waitFor({ timeout: LIVE_MS });
    // A row that is not open changes too (the breach event alone, no refetch of its conversation).
    await page.getByTestId("conversation-row").filter({ hasText: "Olga Old" }).getByTestId("sla").getByText("First response overdue").waitFor({ timeout: LIVE_MS });
    expect(await row.getByTestId("sla").getAttribute("class")).toContain("sla-breached");
    expect((await admin.get(`/api/conversations/${conv.id}`)).body.conversation.sla.breachedAt).not.toBeNull();
    await page.screenshot({ path: screenshotPath("sla-breach") });
    expect(ui.problems()).toEqual([]);
  });

  it("fits a phone: the teams, hours and SLA pages do not scroll sideways", async () => {
    const opened = await ui.openPhone();
    const { page } = opened;
    await logIn(page);
    for (const section of ["teams", "hours", "sla"]) {
      await page.goto(`${p.url}/#/admin/${section}`);
      await page.locator(`#${section}-title`).waitFor();
      if (section === "teams") await page.getByTestId("team-edit").first().click();
      await page.waitForTimeout(300);
      expect(await scrollsSideways(page), section).toBe(false);
    }
    expect(ui.problems()).toEqual([]);
  });
});
