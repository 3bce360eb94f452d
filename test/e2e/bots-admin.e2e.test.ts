import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "../helpers/client.js";
import { startCallbackServer } from "../helpers/callback-server.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "../helpers/parley.js";
import { startOpenAiFake } from "../fakes/openai-fake.js";
import { useConsole, logIn, screenshotPath, scrollsSideways, seriousA11yViolations } from "./browser.js";

const KEY = "sk-test-e2e-secret-4711";

/**
 * The console for bots: knowledge base, pipeline per channel and kind, rules, AI model settings with
 * a connection test, a dry run, and what agents see of the bot in a conversation (the hand-off card,
 * thumbs-down, knowledge search). A real Parley, a fake OpenAI-compatible model, real Chromium.
 */
describe("bots in the console", () => {
  let p: TestParley;
  let admin: ApiClient;
  let llm: Awaited<ReturnType<typeof startOpenAiFake>>;
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  let channel: { id: string; secret: string };
  const ui = useConsole(() => p.url);

  const say = (contact: string, text: string, name: string) => postWebhook(p.url, channel.id, channel.secret, customerEvent(contact, text, { name }));

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    llm = await startOpenAiFake({ apiKey: KEY });
    callback = await startCallbackServer((n) => ({ status: 200, body: { externalId: `ext-${n}` } }));
    channel = await createApiChannel(admin, { callbackUrl: callback.url, botEnabled: false, name: "Web shop" });
    // History for the dry run, from before the bot was switched on.
    await say("ana", "Where is my parcel? It was due on Monday.", "Ana Souza");
    await say("lee", "Can I still change my order?", "Lee Chen");
    await say("sam", "I want to talk to a person please", "Sam Roe");
    await waitFor(async () => ((await admin.get("/api/conversations")).body.items as any[]).length === 3, "three conversations");
  });
  afterAll(async () => {
    await p?.stop();
    await llm?.close();
    await callback?.close();
  });
  const botConfig = async () => (await admin.get(`/api/channels/${channel.id}/bot`)).body;

  it("writes, imports and finds knowledge articles", async () => {
    const page = await ui.desktop();
    await page.goto(`${p.url}/#/admin/knowledge`);
    await page.getByTestId("kb-new").click();
    await page.getByTestId("kb-title").fill("Shipping times");
    await page.getByTestId("kb-body").fill("Parcels arrive within 3 to 5 working days. You get a tracking link by e-mail.");
    await page.getByTestId("kb-tags").fill("shipping, parcels");
    await page.getByTestId("kb-save").click();
    await page.getByTestId("kb-article").filter({ hasText: "Shipping times" }).waitFor();
    const created = ((await admin.get("/api/knowledge/articles")).body.items as any[]).find((a) => a.title === "Shipping times");
    expect(created).toMatchObject({ tags: ["shipping", "parcels"], language: "en", enabled: true });

    // An invalid language is refused in words before anything is sent.
    await page.getByTestId("kb-new").click();
    await page.getByTestId("kb-title").fill("Broken");
    await page.getByTestId("kb-body").fill("Text");
    await page.getByTestId("kb-language").fill("x");
    await page.getByTestId("kb-save").click();
    await page.getByTestId("kb-form").getByTestId("error-message").getByText("Language").waitFor();
    await page.getByRole("button", { name: "Cancel" }).click();

    // Import a JSON file; the same file again updates instead of doubling.
    const file = {
      name: "help.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify([{ id: "returns", title: "How do I return an item?", body: "Send it back within 30 days with the return label from your order page.", tags: ["returns"] }])),
    };
    await page.getByTestId("kb-import-files").setInputFiles(file);
    await page.getByTestId("kb-import").click();
    await page.getByTestId("kb-import-result").getByText("1 new, 0 updated").waitFor();
    await page.getByTestId("kb-import-files").setInputFiles(file);
    await page.getByTestId("kb-import").click();
    await page.getByTestId("kb-import-result").getByText("0 new, 1 updated").waitFor();
    expect((await admin.get("/api/knowledge/articles")).body.items).toHaveLength(2);

    // Search narrows the list; editing disables an article.
    await page.getByTestId("kb-admin-search").fill("return");
    await expect.poll(() => page.getByTestId("kb-article").count()).toBe(1);
    await page.getByRole("button", { name: "Edit How do I return an item?" }).click();
    await page.getByTestId("kb-enabled").uncheck();
    await page.getByTestId("kb-save").click();
    await page.locator('[data-testid="kb-article"][data-enabled="false"]').waitFor();
    await page.getByRole("button", { name: "Edit How do I return an item?" }).click();
    await page.getByTestId("kb-enabled").check();
    await page.getByTestId("kb-save").click();
    await page.locator('[data-testid="kb-article"][data-enabled="true"]').waitFor();
    await page.getByTestId("kb-admin-search").fill("");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("admin-knowledge"), fullPage: true });
    expect(ui.problems()).toEqual([]);
  });

  it("sets up the AI model with a write-only key and tests the connection", async () => {
    const page = await ui.desktop();
    await page.goto(`${p.url}/#/admin/llm`);
    await page.getByTestId("llm-effective").getByText("Not set up").waitFor();
    await page.getByTestId("llm-base-url").fill(llm.url);
    await page.getByTestId("llm-model").fill("fake-model");
    await page.getByTestId("llm-api-key").fill("sk-wrong-key");
    await page.getByTestId("llm-test").click();
    await page.locator('[data-testid="llm-test-result"][data-ok="false"]').waitFor();
    await page.getByTestId("llm-api-key").fill(KEY);
    await page.getByTestId("llm-test").click();
    await page.locator('[data-testid="llm-test-result"][data-ok="true"]').waitFor();
    await page.getByTestId("llm-instructions").fill("Be brief and friendly.");
    await page.getByTestId("llm-never-say").fill("guaranteed\nfree of charge");
    await page.getByTestId("llm-save").click();
    await page.getByTestId("llm-effective").getByText("In use: fake-model").waitFor();
    const saved = (await admin.get("/api/bots/llm")).body;
    expect(saved).toMatchObject({ model: "fake-model", baseUrl: llm.url, apiKeySet: true, instructions: "Be brief and friendly.", neverSay: ["guaranteed", "free of charge"] });
    // The key is never shown again: not in the field, not anywhere on the page.
    expect(await page.getByTestId("llm-api-key").inputValue()).toBe("");
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("admin-ai-model"), fullPage: true });
    await page.reload();
    await page.getByTestId("llm-form").waitFor();
    expect(await page.content()).not.toContain(KEY);
    expect(ui.problems()).toEqual([]);
  });

  it("switches pipeline stages per kind, edits rules, and dry-runs the channel with live progress", async () => {
    const page = await ui.desktop();
    await page.goto(`${p.url}/#/admin/bots`);
    await page.getByTestId("pipeline-editor").waitFor();
    // Knowledge answers off for reviews only.
    await page.getByTestId("pipeline-kind").selectOption("review");
    await page.getByTestId("stage-toggle-knowledge").uncheck();
    await page.getByTestId("pipeline-save").click();
    await page.getByTestId("pipeline-editor").getByText("Saved.").waitFor();
    let config = await botConfig();
    expect(config.effective.review.knowledge.enabled).toBe(false);
    expect(config.effective.dm.knowledge.enabled).toBe(true);
    expect(config.pipeline.knowledge.enabled).toBe(true);
    // The channel's own switch: the LLM stage off for every kind.
    await page.getByTestId("pipeline-kind").selectOption("channel");
    await page.getByTestId("stage-toggle-llm").uncheck();
    await page.getByTestId("pipeline-save").click();
    await expect.poll(async () => (await botConfig()).effective.dm.llm.enabled).toBe(false);

    // A rule that answers parcel questions.
    await page.getByTestId("rule-add").click();
    await page.getByTestId("rule-name").fill("Parcels");
    await page.getByTestId("rule-pattern").fill("parcel");
    await page.getByTestId("rule-reply").fill("Parcels arrive within 3 to 5 working days.");
    await page.getByTestId("bot-save").click();
    await page.getByTestId("bot-editor").getByText("Saved.").waitFor();
    config = await botConfig();
    expect(config.rules).toMatchObject([{ name: "Parcels", pattern: "parcel", matchType: "keyword", enabled: true }]);

    // Dry run over the three earlier messages: what the bot would do beside what happened (nothing yet).
    await page.getByTestId("dry-run-limit").fill("10");
    await page.getByTestId("dry-run-start").click();
    await page.locator('[data-testid="dry-run-status"][data-status="done"]').waitFor({ timeout: 20_000 });
    const items = page.getByTestId("dry-run-item");
    await expect.poll(() => items.count()).toBe(3);
    expect(await items.filter({ hasText: "Where is my parcel" }).getAttribute("data-bot-action")).toBe("answer");
    expect(await items.filter({ hasText: "talk to a person" }).getAttribute("data-bot-action")).toBe("handoff");
    expect(await items.filter({ hasText: "Where is my parcel" }).getAttribute("data-actual-action")).toBe("none");
    // Nothing was sent or stored by the dry run.
    expect(callback.received).toHaveLength(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath("admin-bots"), fullPage: true });
    // Coming back shows the latest run.
    await page.reload();
    await page.locator('[data-testid="dry-run-status"][data-status="done"]').waitFor();
    await expect.poll(() => page.getByTestId("dry-run-item").count()).toBe(3);
    expect(ui.problems()).toEqual([]);
  });

  it("shows the hand-off card: reason, summary, an editable suggested reply, thumbs-down and hand back; agents search the knowledge base", async () => {
    // Bot on, with the model for hand-off notes.
    expect((await admin.patch(`/api/channels/${channel.id}`, { botEnabled: true })).status).toBe(200);
    expect((await admin.put(`/api/channels/${channel.id}/bot`, { pipeline: { llm: { enabled: true } } })).status).toBe(200);
    await say("kim", "Hi, where is my parcel?", "Kim Park");
    const conv = await waitFor(async () => ((await admin.get("/api/conversations?limit=100")).body.items as any[]).find((c) => c.contact.name === "Kim Park"), "Kim's conversation");
    await waitFor(async () => ((await admin.get(`/api/conversations/${conv.id}/messages`)).body.items as any[]).some((m) => m.author === "bot"), "the bot's answer");
    await say("kim", "That does not help, I want to talk to a person", "Kim Park");
    const handed = await waitFor(async () => {
      const c = (await admin.get(`/api/conversations/${conv.id}`)).body.conversation;
      return c.owner === "human" && c.handoff?.suggestedReply && c;
    }, "hand-off with notes");

    const page = await ui.desktop();
    await page.getByTestId("conversation-row").filter({ hasText: "Kim Park" }).click();
    const card = page.getByTestId("handoff-banner");
    await card.getByText("The customer asked for a person").waitFor();
    await card.getByText(handed.handoff.summary).waitFor();

    // Thumbs-down on the bot's answer, shown at once and stored.
    const botMessage = page.locator('[data-testid="message"][data-author="bot"]').filter({ hasText: "3 to 5 working days" });
    await botMessage.getByTestId("wrong-answer").click();
    await botMessage.locator('[data-testid="wrong-answer"][aria-pressed="true"]').waitFor();
    await botMessage.getByTestId("wrong-answer-by").waitFor();
    const marked = ((await admin.get(`/api/conversations/${conv.id}/messages`)).body.items as any[]).find((m) => m.author === "bot" && m.bot);
    expect(marked.bot.wrongAnswer).toMatchObject({ userName: expect.any(String) });

    // Knowledge search beside the composer.
    await page.getByTestId("kb-search").locator("summary").click();
    await page.getByTestId("kb-search-input").fill("return an item");
    await page.getByTestId("kb-search-result").filter({ hasText: "How do I return an item?" }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The suggested reply goes into the composer, is edited, then sent.
    await page.getByTestId("use-suggested-reply").click();
    const input = page.getByTestId("composer-input");
    await expect.poll(() => input.inputValue()).toBe(handed.handoff.suggestedReply);
    await input.fill(`${handed.handoff.suggestedReply} Your parcel left our warehouse today.`);
    await page.getByTestId("composer-send").click();
    await waitFor(async () => callback.received.some((r) => JSON.stringify(r.body ?? "").includes("left our warehouse today")), "the edited reply sent");
    await page.screenshot({ path: screenshotPath("handoff") });

    // One click hands it back to the bot.
    await card.getByTestId("handoff-hand-back").click();
    await expect.poll(async () => (await admin.get(`/api/conversations/${conv.id}`)).body.conversation.owner).toBe("bot");
    await card.waitFor({ state: "detached" });
    expect(ui.problems()).toEqual([]);
  });

  it("fits a phone: the bots and knowledge pages do not scroll sideways", async () => {
    const opened = await ui.openPhone();
    const { page } = opened;
    await logIn(page);
    for (const section of ["bots", "knowledge", "llm"]) {
      await page.goto(`${p.url}/#/admin/${section}`);
      await page.locator(`#${section === "llm" ? "llm" : section}-title`).waitFor();
      await page.waitForTimeout(300);
      expect(await scrollsSideways(page), section).toBe(false);
    }
    expect(ui.problems()).toEqual([]);
  });
});
