import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "../helpers/parley.js";
import { PNG } from "../fakes/media-files.js";
import { startXFake, type XFake } from "../fakes/x-fake.js";
import { useConsole } from "./browser.js";

const LIVE_MS = 5_000;
const BRAND = "1500000000000000001";
const SECRET = "avatar-e2e-consumer-secret";
const TOKEN = "x-user-token-avatar-e2e";

describe("an X channel in the console: the contact panel's picture and @handle, and the reply counter", () => {
  let p: TestParley;
  let x: XFake;
  const ui = useConsole(() => p.url);

  beforeAll(async () => {
    p = await startTestParley();
    x = await startXFake({ consumerSecret: SECRET, userId: BRAND, accessToken: TOKEN, webhookUrl: `${p.url}/webhooks/x` });
    p.usePlatforms({ X_API_URL: x.url });
    const admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    expect((await admin.post("/api/channels", { platform: "x", name: "Acme on X", config: { userId: BRAND, consumerSecret: SECRET, accessToken: TOKEN } })).status).toBe(201);
    const picture = x.addMedia("profile/ana.png", PNG, "image/png");
    expect((await x.deliver(x.dm({ id: "1500000000000000801", name: "Ana Souza", screenName: "ana_souza_x", picture }, "Hello from X"))).status).toBe(200);
    // A picture the platform no longer serves: the console shows initials instead of a broken image.
    expect((await x.deliver(x.dm({ id: "1500000000000000802", name: "Gone Picture", screenName: "gone_pic", picture: `${x.url}/media/profile/removed.png` }, "Hello from X"))).status).toBe(200);
    await waitFor(async () => (await admin.get("/api/conversations")).body.items.length === 2, "both conversations");
  });
  afterAll(async () => {
    await p?.stop();
    await x?.close();
  });

  it("shows the customer's picture, loaded through Parley, and their @handle linking to the X profile", async () => {
    const page = await ui.desktop();
    const row = page.getByTestId("conversation-row").filter({ hasText: "Ana Souza" });
    await row.click({ timeout: LIVE_MS });
    const rowPicture = row.locator("img.avatar");
    await expect.poll(() => rowPicture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

    const panel = page.getByTestId("contact-panel");
    await panel.waitFor();
    const picture = panel.locator(".contact-head img.avatar");
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await picture.getAttribute("src")).toMatch(/^\/api\/contacts\/[0-9a-f-]{36}\/avatar\?v=[0-9a-f]{12}$/);

    const handle = panel.getByTestId("contact-handle");
    expect(await handle.textContent()).toBe("@ana_souza_x");
    expect(await handle.getAttribute("href")).toBe("https://x.com/ana_souza_x");
    expect(await handle.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await handle.getAttribute("target")).toBe("_blank");
    expect(ui.problems()).toEqual([]);
  });

  it("a picture that does not load falls back to the customer's initials", async () => {
    const page = await ui.desktop();
    await page.getByTestId("conversation-row").filter({ hasText: "Gone Picture" }).click({ timeout: LIVE_MS });
    const panel = page.getByTestId("contact-panel");
    await panel.waitFor();
    await panel.locator(".contact-head .avatar-initials").filter({ hasText: "GP" }).waitFor({ timeout: LIVE_MS });
    expect(await panel.locator(".contact-head img.avatar").count()).toBe(0);
    expect(await panel.getByTestId("contact-handle").getAttribute("href")).toBe("https://x.com/gone_pic");
  });

  it("counts a reply to an X post as X does: a Japanese character weighs two, any link 23", async () => {
    expect((await x.deliver(x.post({ id: "1500000000000000803", name: "Kenji Post" }, "@brand 在庫ありますか？"))).status).toBe(200);
    const page = await ui.desktop();
    await page.getByTestId("conversation-row").filter({ hasText: "Kenji Post" }).click({ timeout: LIVE_MS });
    const input = page.getByTestId("composer-input");
    const counter = page.getByTestId("composer-counter");
    await input.fill("在庫あり");
    // X's counter is a chunk the console loads when an X post is opened.
    await expect.poll(() => counter.textContent()).toBe("8 / 280");
    expect(await counter.getAttribute("title")).toContain("every link 23");
    await input.fill("返".repeat(141));
    expect(await counter.textContent()).toBe("282 / 280 — too long");
    expect(await page.getByTestId("composer-send").isDisabled()).toBe(true);
    await input.fill(`See https://shop.example.com/${"p".repeat(300)}`);
    expect(await counter.textContent()).toBe("27 / 280");
    expect(await page.getByTestId("composer-send").isDisabled()).toBe(false);
    expect(ui.problems()).toEqual([]);
  });
});
