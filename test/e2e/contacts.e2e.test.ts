import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createApiChannel, customerEvent, postWebhook } from "../helpers/client.js";
import { waitFor } from "../helpers/parley.js";
import { PNG } from "../fakes/media-files.js";
import { startMetaEnv, waitForMessage, type MetaEnv } from "../fakes/meta-test-setup.js";
import { useConsole, seriousA11yViolations } from "./browser.js";

const LIVE_MS = 5_000;
const MEDIA = "18000000000000101"; // the media of the instagram-comment.json fixture

describe("the console's saved replies, contact panel and thread context", () => {
  let env: MetaEnv;
  const ui = useConsole(() => env.p.url);

  beforeAll(async () => {
    env = await startMetaEnv();
    const picture = env.fake.addMedia("posts/jacket.png", PNG, "image/png");
    env.fake.setPost(MEDIA, { caption: "Our blue jacket is back in all sizes", permalink: "https://www.instagram.com/p/FAKEblue1/", media_type: "IMAGE", media_url: picture, username: "acme.store" });
    await env.fake.sendFixture("instagram-comment.json");
    await waitForMessage(env.admin, env.ig.id, "18000000000000999");

    const api = await createApiChannel(env.admin, { name: "Web shop" });
    await postWebhook(env.p.url, api.id, api.secret, customerEvent("dana-1", "Where is my refund?", { name: "Dana Example" }));
    await postWebhook(env.p.url, api.id, api.secret, customerEvent("dana-2", "Size M please", { name: "Dana Shopper" }));
    await waitFor(async () => (await env.admin.get("/api/contacts?q=dana")).body.items.length === 2, "both contacts");
    const saved = await env.admin.post("/api/canned-responses", { shortcut: "refund", title: "Refund timing", text: "Hi {{contact.first_name}}, refunds take 5 days. — {{agent.first_name}}" });
    expect(saved.status).toBe(201);
  });

  afterAll(async () => {
    await env?.stop();
  });

  /** A fresh profile on the console, logged in as the admin. */
  const openConsole = (): Promise<Page> => ui.desktop();
  const row = (page: Page, name: string) => page.getByTestId("conversation-row").filter({ hasText: name });

  it("shows the post an Instagram comment is on, with its caption, picture and link, never its id", async () => {
    const page = await openConsole();
    await row(page, "fake.customer_01").click({ timeout: LIVE_MS });
    const header = page.getByTestId("thread-context");
    await header.waitFor();
    expect(await header.getByTestId("context-post-text").textContent()).toContain("Our blue jacket is back");
    expect(await header.getByTestId("context-post-link").getAttribute("href")).toBe("https://www.instagram.com/p/FAKEblue1/");
    expect(await header.textContent()).not.toContain(MEDIA);
    const picture = header.getByTestId("context-picture");
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(ui.problems()).toEqual([]);
  });

  it("inserts a saved reply with /shortcut, its variables filled", async () => {
    const page = await openConsole();
    await row(page, "Dana Example").click({ timeout: LIVE_MS });
    const input = page.getByTestId("composer-input");
    await input.click();
    await input.pressSequentially("/ref");
    await page.getByTestId("canned-option").filter({ hasText: "Refund timing" }).click();
    await expect.poll(() => input.inputValue()).toBe("Hi Dana, refunds take 5 days. — Admin");
    expect(ui.problems()).toEqual([]);
  });

  it("edits the contact, keeps a note, and merges the other contact in with its conversation", async () => {
    const page = await openConsole();
    await row(page, "Dana Example").click({ timeout: LIVE_MS });
    const panel = page.getByTestId("contact-panel");
    await panel.waitFor();
    await panel.getByTestId("contact-edit").click();
    await panel.getByTestId("contact-edit-email").fill("dana@example.com");
    await panel.getByTestId("contact-edit-save").click();
    await panel.getByText("dana@example.com").waitFor();

    await panel.getByTestId("contact-note-input").fill("Prefers email.");
    await panel.getByTestId("contact-note-add").click();
    await panel.getByTestId("contact-note").filter({ hasText: "Prefers email." }).waitFor();

    await panel.locator("summary").filter({ hasText: "Merge with another contact" }).click();
    await panel.getByTestId("merge-search").fill("Dana Shopper");
    await panel.getByTestId("merge-candidate").filter({ hasText: "Dana Shopper" }).click();
    await panel.getByTestId("merge-confirm").click();
    await expect.poll(() => panel.getByTestId("contact-identity").count()).toBe(2);
    await expect.poll(() => panel.getByTestId("contact-conversation").count()).toBe(2);
    expect(await panel.getByTestId("contact-name").textContent()).toBe("Dana Example");
    expect(ui.problems()).toEqual([]);
  });
});
