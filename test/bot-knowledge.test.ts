import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCallbackServer } from "./helpers/callback-server.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";

const kb = readFileSync(new URL("./bot-eval/kb.json", import.meta.url), "utf8");

describe("the knowledge base", () => {
  let p: TestParley;
  let admin: ApiClient;
  let agent: ApiClient;
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;
  let channel: { id: string; secret: string };

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    await admin.post("/api/users", { email: "agent@test.local", name: "Agnes Agent", role: "agent", password: "agent-password-1" });
    agent = await ApiClient.login(p.url, "agent@test.local", "agent-password-1");
    callback = await startCallbackServer(() => ({ status: 200 }));
    channel = await createApiChannel(admin, { botEnabled: true, callbackUrl: callback.url });
  });
  afterAll(async () => {
    await p?.stop();
    await callback?.close();
  });

  const count = async () => {
    let n = 0;
    let cursor: string | null = null;
    do {
      const page: any = (await admin.get(`/api/knowledge/articles?limit=200${cursor ? `&cursor=${cursor}` : ""}`)).body;
      n += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    return n;
  };

  it("imports the evaluation knowledge base as JSON, and updates the same articles on a second import", async () => {
    const first = await admin.post("/api/knowledge/import", { format: "json", files: [{ name: "kb.json", content: kb }] });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: 28, updated: 0 });
    const again = await admin.post("/api/knowledge/import", { format: "json", files: [{ name: "kb.json", content: kb }] });
    expect(again.body).toMatchObject({ created: 0, updated: 28 });
    expect(await count()).toBe(28);
    const german = (await agent.get("/api/knowledge/articles?language=de&limit=50")).body.items;
    expect(german).toHaveLength(7);
    expect((await agent.get("/api/knowledge/articles?enabled=false")).body.items.map((a: any) => a.externalId)).toEqual(["winter-sale"]);
  });

  it("imports Markdown and CSV, and refuses a bad file whole, saying what is wrong where", async () => {
    const md = await admin.post("/api/knowledge/import", {
      format: "markdown",
      files: [
        { name: "pickup.md", content: "---\ntitle: Can I send my order to a parcel locker?\ntags: [delivery, locker]\n---\nYes: choose **Packstation** at checkout.\n" },
        { name: "faq.md", content: "# FAQ\n\n## Do you repair zips?\nYes, for free within the warranty.\n\n## Do you sell spare laces?\nYes, in every store.\n" },
      ],
    });
    expect(md.body).toMatchObject({ created: 3, updated: 0 });
    expect(md.body.articles.map((a: any) => a.externalId)).toEqual(["pickup", "faq#do-you-repair-zips", "faq#do-you-sell-spare-laces"]);
    const csv = await admin.post("/api/knowledge/import", { format: "csv", files: [{ name: "x.csv", content: "title,body,tags\nDo you ship to Norway?,Yes within 5 days.,shipping|norway\n" }] });
    expect(csv.body).toMatchObject({ created: 1 });
    const before = await count();

    const bad = await admin.post("/api/knowledge/import", {
      format: "csv",
      files: [{ name: "bad.csv", content: "title,body\nGood one,Fine\n,No title\nNo body,\n" }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("validation_failed");
    expect(bad.body.issues).toEqual([
      { path: "files.0", message: "bad.csv line 3: the title is missing" },
      { path: "files.0", message: 'bad.csv line 4: the body of "No body" is empty' },
    ]);
    expect(await count()).toBe(before);
  });

  it("manages single articles: create, change, disable, delete; ids are unique", async () => {
    const created = await admin.post("/api/knowledge/articles", { title: "Do you have a loyalty card?", body: "Yes: 5 % back on every order.", tags: ["loyalty"], externalId: "loyalty" });
    expect(created.status).toBe(201);
    expect(created.body.article).toMatchObject({ language: "en", enabled: true, tags: ["loyalty"] });
    const id = created.body.article.id;
    expect((await admin.post("/api/knowledge/articles", { title: "Again", body: "x", externalId: "loyalty" })).body.code).toBe("article_id_taken");
    expect((await admin.post("/api/knowledge/articles", { title: "No body" })).status).toBe(400);
    expect((await admin.patch(`/api/knowledge/articles/${id}`, { body: "Yes: 10 % back on every order.", language: "EN" })).body.article).toMatchObject({ body: "Yes: 10 % back on every order.", language: "en" });
    const found = (await agent.get(`/api/knowledge/search?q=${encodeURIComponent("is there a loyalty card")}`)).body;
    expect(found.items[0]).toMatchObject({ article: { id }, answers: true });
    await admin.patch(`/api/knowledge/articles/${id}`, { enabled: false });
    expect((await agent.get(`/api/knowledge/search?q=${encodeURIComponent("is there a loyalty card")}`)).body.items.map((i: any) => i.article.id)).not.toContain(id);
    expect((await admin.request("DELETE", `/api/knowledge/articles/${id}`)).status).toBe(200);
    expect((await admin.get(`/api/knowledge/articles/${id}`)).status).toBe(404);
  });

  it("agents search it as the bot does, in the customer's language", async () => {
    const de = (await agent.get(`/api/knowledge/search?q=${encodeURIComponent("Wie lange dauert der Versand nach Österreich?")}`)).body;
    expect(de.language).toBe("de");
    expect(de.items[0]).toMatchObject({ article: { externalId: "de-lieferzeit" }, answers: true });
    const en = (await agent.get(`/api/knowledge/search?q=${encodeURIComponent("do you accept paypal?")}&limit=3`)).body;
    expect(en.items[0]).toMatchObject({ article: { externalId: "payment-methods" }, answers: true });
    expect(en.items.length).toBeLessThanOrEqual(3);
    const sale = (await agent.get(`/api/knowledge/search?q=${encodeURIComponent("when is the winter sale")}`)).body;
    expect(sale.items.map((i: any) => i.article.externalId)).not.toContain("winter-sale");
  });

  it("finds an article written only in English for a question in another language, but prefers the customer's own language", async () => {
    const created = await admin.post("/api/knowledge/articles", { title: "Do you offer a student discount?", body: "Students get 10 % off with a valid student ID.", tags: ["student", "discount"], externalId: "student-discount" });
    const de = (await agent.get(`/api/knowledge/search?q=${encodeURIComponent("Gibt es einen Rabatt für Studenten?")}`)).body;
    expect(de.items[0]).toMatchObject({ article: { externalId: "student-discount" } });
    const es = (await agent.get(`/api/knowledge/search?q=${encodeURIComponent("¿Hay descuento para estudiantes?")}`)).body;
    expect(es.items[0]).toMatchObject({ article: { externalId: "student-discount" } });
    // Both languages have an article on returns: the German customer gets the German one.
    const returns = (await agent.get(`/api/knowledge/search?q=${encodeURIComponent("Wie kann ich die Jacke zurückschicken?")}`)).body;
    expect(returns.items[0].article.language).toBe("de");
    await admin.request("DELETE", `/api/knowledge/articles/${created.body.article.id}`);
  });

  const say = (contact: string, text: string) => postWebhook(p.url, channel.id, channel.secret, customerEvent(contact, text));
  const conversationOf = (contact: string) =>
    waitFor(async () => ((await admin.get("/api/conversations?limit=100")).body.items as any[]).find((c) => c.contact.name === `Customer ${contact}`), `conversation of ${contact}`);
  const messagesOf = async (id: string) => (await admin.get(`/api/conversations/${id}/messages`)).body.items as any[];

  it("offline, the bot answers a common question with the article itself and cites it", async () => {
    await say("k-1", "do you accept paypal?");
    const conv = await conversationOf("k-1");
    const reply = await waitFor(async () => (await messagesOf(conv.id)).find((m) => m.author === "bot" && m.status === "sent"), "bot answer sent");
    expect(reply.text).toBe("Which payment methods do you accept?\n\nWe accept Visa, Mastercard, American Express, PayPal, Klarna (pay in 30 days) and Apple Pay. In our stores you can also pay cash. We do not accept cheques.");
    expect(reply.bot).toMatchObject({ stage: "knowledge", articles: [{ title: "Which payment methods do you accept?" }], wrongAnswer: null });
    expect(callback.received.some((r) => r.body.messageId === reply.id)).toBe(true);
    expect((await admin.get(`/api/conversations/${conv.id}`)).body.conversation).toMatchObject({ owner: "bot", waitingSince: null });

    await say("k-2", "Wann bekomme ich mein Geld für die Retoure zurück?");
    const de = await conversationOf("k-2");
    const deReply = await waitFor(async () => (await messagesOf(de.id)).find((m) => m.author === "bot"), "German answer");
    expect(deReply.text).toMatch(/^Wann bekomme ich mein Geld zurück\?/);
  });

  it("hands off what the knowledge base cannot answer, with a plain summary for the agent", async () => {
    await say("k-3", "Do you sell kayaks?");
    const conv = await conversationOf("k-3");
    const c = await waitFor(async () => {
      const x = (await agent.get(`/api/conversations/${conv.id}`)).body.conversation;
      return x.owner === "human" && x;
    }, "hand-off");
    expect(c.handoff).toMatchObject({ reason: "no_answer", reasonText: "The bot could not answer", suggestedReply: null });
    expect(c.handoff.summary).toMatch(/^The customer wrote: “Do you sell kayaks\?”\. The bot had not answered yet\. Handed off: the bot could not answer/);
    expect((await messagesOf(conv.id)).filter((m) => m.author === "bot")).toEqual([]);
  });
});
