import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../helpers/client.js";
import { ADMIN, startTestParley, type TestParley } from "../helpers/parley.js";
import { useConsole, logIn, screenshotPath, seriousA11yViolations } from "./browser.js";

/** Admin, reports and profile: loaded on demand, accessible, and the user management that exists. */
describe("admin, reports and profile pages", () => {
  let p: TestParley;
  let admin: ApiClient;
  const ui = useConsole(() => p.url);

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await p?.stop();
  });

  it("loads the admin page only when opened, passes axe, adds a user, changes a role, deactivates and reactivates", async () => {
    const opened = await ui.open();
    const { page } = opened;
    const scripts: string[] = [];
    page.on("request", (r) => r.resourceType() === "script" && scripts.push(r.url()));
    await logIn(page);
    expect(scripts.some((u) => /admin-page/.test(u))).toBe(false);

    await page.getByTestId("nav-admin").click();
    await page.getByTestId("connect-channel").waitFor();
    expect(scripts.some((u) => /admin-page/.test(u))).toBe(true);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("admin"), fullPage: true });

    await page.getByTestId("admin-users").click();
    await page.getByTestId("users-table").waitFor();
    await page.getByText("Or add a user with a password you choose").click();
    await page.getByTestId("user-email").fill("casey@test.local");
    await page.getByTestId("user-name").fill("Casey Agent");
    await page.getByTestId("user-password").fill("a-long-password-1");
    await page.getByTestId("user-create").click();
    const casey = page.getByTestId("user-row").filter({ hasText: "Casey Agent" });
    await casey.waitFor();
    await casey.getByLabel("Role of Casey Agent").selectOption("supervisor");
    await expect
      .poll(async () => ((await admin.get("/api/users")).body.items as any[]).find((u) => u.email === "casey@test.local")?.role)
      .toBe("supervisor");
    // Deactivate: they can no longer sign in; reactivate brings them back.
    await casey.getByTestId("user-deactivate").click();
    await expect.poll(() => casey.getAttribute("data-active")).toBe("false");
    expect(((await admin.get("/api/users")).body.items as any[]).find((u) => u.email === "casey@test.local").active).toBe(false);
    expect((await fetch(`${p.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "casey@test.local", password: "a-long-password-1" }) })).status).not.toBe(200);
    await casey.getByTestId("user-reactivate").click();
    await expect.poll(() => casey.getAttribute("data-active")).toBe("true");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("admin-users"), fullPage: true });
    expect(ui.problems()).toEqual([]);
  });

  it("shows reports and the profile, accessibly", async () => {
    const opened = await ui.open();
    const { page } = opened;
    await logIn(page);
    await page.getByTestId("nav-reports").click();
    await page.getByTestId("report-table").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("reports") });

    await page.getByTestId("nav-profile").click();
    await page.getByTestId("profile-name").waitFor();
    expect(await page.getByTestId("profile-name").inputValue()).toBe((await admin.get("/api/me")).body.user.name);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("profile") });
    expect(ui.problems()).toEqual([]);
  });

  it("says plainly when an invitation link is not valid", async () => {
    const opened = await ui.open();
    const { page } = opened;
    await page.goto(`${p.url}/#/set-password?token=${"x".repeat(40)}`);
    await page.getByTestId("set-password").getByText("This link is not valid any more").waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});
