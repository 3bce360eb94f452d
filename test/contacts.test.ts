import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, conversationEvents } from "../server/db/schema.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { addPerson, type Person } from "./helpers/people.js";

describe("contacts: the contact panel's details, notes and merge", () => {
  let p: TestParley;
  let admin: ApiClient;
  let ana: Person; // agent in Support (channel "web")
  let ben: Person; // agent in Sales (channel "shop")
  const ch: Record<string, { id: string; secret: string }> = {};
  let danaWeb: any; // the contact as the web channel knows her
  let danaShop: any; // the same person, arrived through the shop channel
  let convWeb: any;
  let convShop: any;

  const conversationOf = (channel: string, name: string) =>
    waitFor(async () => ((await admin.get(`/api/conversations?channelId=${ch[channel]!.id}&limit=100`)).body.items as any[]).find((c) => c.contact.name === name), `conversation of ${name}`);

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    for (const name of ["web", "shop"]) ch[name] = await createApiChannel(admin, { name });
    ana = await addPerson(admin, "Ana");
    ben = await addPerson(admin, "Ben");
    expect((await admin.post("/api/teams", { name: "Support", memberIds: [ana.id], channelIds: [ch.web!.id] })).status).toBe(201);
    expect((await admin.post("/api/teams", { name: "Sales", memberIds: [ben.id], channelIds: [ch.shop!.id] })).status).toBe(201);
    await postWebhook(p.url, ch.web!.id, ch.web!.secret, customerEvent("dana-web", "my parcel is late", { name: "Dana Example" }));
    await postWebhook(p.url, ch.shop!.id, ch.shop!.secret, customerEvent("dana-shop-77", "do you have size M?", { name: "D. Example" }));
    convWeb = await conversationOf("web", "Dana Example");
    convShop = await conversationOf("shop", "D. Example");
    danaWeb = convWeb.contact;
    danaShop = convShop.contact;
    expect(danaWeb.id).not.toBe(danaShop.id);
  });
  afterAll(() => p?.stop());

  it("finds contacts by name, email, phone or platform id, each with its identities", async () => {
    const found = await admin.get("/api/contacts?q=example&limit=10");
    expect(found.status).toBe(200);
    expect(found.body.items.map((c: any) => c.id).sort()).toEqual([danaWeb.id, danaShop.id].sort());
    const shop = found.body.items.find((c: any) => c.id === danaShop.id);
    expect(shop.identities).toEqual([{ channelId: ch.shop!.id, channelName: "shop", platform: "api", externalId: "dana-shop-77", handle: null, blockedAt: null }]);
    expect((await admin.get("/api/contacts?q=shop-77")).body.items.map((c: any) => c.id)).toEqual([danaShop.id]);
    expect((await admin.get("/api/contacts?q=nobody-by-this-name")).body.items).toEqual([]);
    // Paging: one at a time, no contact twice.
    const first = await admin.get("/api/contacts?q=example&limit=1");
    const second = await admin.get(`/api/contacts?q=example&limit=1&cursor=${first.body.nextCursor}`);
    expect([first.body.items[0].id, second.body.items[0].id].sort()).toEqual([danaWeb.id, danaShop.id].sort());
    expect(second.body.nextCursor).toBeNull();
    expect((await admin.get("/api/contacts?cursor=not-a-cursor")).body.code).toBe("invalid_cursor");
  });

  it("an agent sees a contact only through a conversation they may see", async () => {
    expect((await ana.client.get("/api/contacts?q=example")).body.items.map((c: any) => c.id)).toEqual([danaWeb.id]);
    expect((await ben.client.get("/api/contacts?q=example")).body.items.map((c: any) => c.id)).toEqual([danaShop.id]);
    expect((await ana.client.get(`/api/contacts/${danaShop.id}`)).status).toBe(404);
    expect((await ana.client.patch(`/api/contacts/${danaShop.id}`, { name: "Nope" })).status).toBe(404);
    expect((await ana.client.post(`/api/contacts/${danaShop.id}/notes`, { text: "Nope" })).status).toBe(404);
    const mine = await ana.client.get(`/api/contacts/${danaWeb.id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.conversations.map((c: any) => c.id)).toEqual([convWeb.id]);
  });

  it("edits name, email and phone; the inbox shows the new name; bad values are refused per field", async () => {
    const res = await ana.client.patch(`/api/contacts/${danaWeb.id}`, { name: "Dana Example", email: "dana@example.com", phone: "+49 30 1234567" });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.contact).toMatchObject({ name: "Dana Example", email: "dana@example.com", phone: "+49 30 1234567" });
    const renamed = await ben.client.patch(`/api/contacts/${danaShop.id}`, { name: "Dana E." });
    expect(renamed.body.contact.name).toBe("Dana E.");
    expect((await ben.client.get(`/api/conversations/${convShop.id}`)).body.conversation.contact.name).toBe("Dana E.");
    // The platform's display name no longer replaces a name a person chose.
    await postWebhook(p.url, ch.shop!.id, ch.shop!.secret, customerEvent("dana-shop-77", "hello again", { name: "D. Example" }));
    await waitFor(async () => (await ben.client.get(`/api/conversations/${convShop.id}`)).body.conversation.lastMessage?.text === "hello again", "the next message");
    expect((await ben.client.get(`/api/conversations/${convShop.id}`)).body.conversation.contact.name).toBe("Dana E.");
    const bad = await ana.client.patch(`/api/contacts/${danaWeb.id}`, { email: "not an email", phone: "call me" });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: any) => i.path).sort()).toEqual(["email", "phone"]);
    expect((await ana.client.patch(`/api/contacts/${danaWeb.id}`, {})).status).toBe(400);
    // Found by the email now.
    expect((await admin.get("/api/contacts?q=dana@example")).body.items.map((c: any) => c.id)).toEqual([danaWeb.id]);
  });

  it("keeps notes about a customer, with who wrote them", async () => {
    const note = await ana.client.post(`/api/contacts/${danaWeb.id}/notes`, { text: "Prefers email; VIP since 2024." });
    expect(note.status).toBe(201);
    expect(note.body.note).toMatchObject({ text: "Prefers email; VIP since 2024.", authorId: ana.id, authorName: "Ana" });
    expect((await ben.client.post(`/api/contacts/${danaShop.id}/notes`, { text: "Asked about size M twice." })).status).toBe(201);
    expect((await ana.client.post(`/api/contacts/${danaWeb.id}/notes`, { text: "  " })).status).toBe(400);
    const detail = (await ana.client.get(`/api/contacts/${danaWeb.id}`)).body;
    expect(detail.notes.map((n: any) => n.text)).toEqual(["Prefers email; VIP since 2024."]);
  });

  it("refuses merging a contact with itself (400) or with one the caller cannot see (404)", async () => {
    const self = await admin.post(`/api/contacts/${danaWeb.id}/merge`, { otherId: danaWeb.id });
    expect(self.status).toBe(400);
    expect(self.body.code).toBe("merge_same_contact");
    expect((await ana.client.post(`/api/contacts/${danaWeb.id}/merge`, { otherId: danaShop.id })).status).toBe(404);
    expect((await ben.client.post(`/api/contacts/${danaWeb.id}/merge`, { otherId: danaShop.id })).status).toBe(404);
    expect((await admin.post(`/api/contacts/${danaWeb.id}/merge`, { otherId: "00000000-0000-4000-8000-000000000000" })).status).toBe(404);
  });

  it("merges two contacts into one, keeping every conversation, identity and note, and records it", async () => {
    const merged = await admin.post(`/api/contacts/${danaWeb.id}/merge`, { otherId: danaShop.id });
    expect(merged.status, JSON.stringify(merged.body)).toBe(200);
    expect(merged.body.contact).toMatchObject({ id: danaWeb.id, name: "Dana Example", email: "dana@example.com" });
    expect(merged.body.contact.identities.map((i: any) => i.externalId).sort()).toEqual(["dana-shop-77", "dana-web"]);

    const detail = (await admin.get(`/api/contacts/${danaWeb.id}`)).body;
    expect(detail.conversations.map((c: any) => c.id).sort()).toEqual([convWeb.id, convShop.id].sort());
    expect(detail.notes.map((n: any) => n.text).sort()).toEqual(["Asked about size M twice.", "Prefers email; VIP since 2024."]);
    expect((await admin.get(`/api/contacts/${danaShop.id}`)).status).toBe(404);
    expect((await admin.get(`/api/conversations/${convShop.id}`)).body.conversation.contact).toMatchObject({ id: danaWeb.id, name: "Dana Example" });

    // The moved conversation's ledger and the audit log say who merged what.
    const ledger = await p.ctx.db.select().from(conversationEvents).where(and(eq(conversationEvents.conversationId, convShop.id), eq(conversationEvents.type, "contact_merged")));
    expect(ledger).toHaveLength(1);
    expect(ledger[0]!.data).toEqual({ fromContactId: danaShop.id, toContactId: danaWeb.id });
    const audit = await p.ctx.db.select().from(auditLog).where(eq(auditLog.action, "contact.merged"));
    expect(audit.map((a) => a.targetId)).toEqual([danaWeb.id]);

    // Each agent still sees only their own team's conversation of the merged contact.
    expect((await ben.client.get(`/api/contacts/${danaWeb.id}`)).body.conversations.map((c: any) => c.id)).toEqual([convShop.id]);
    expect((await ana.client.get(`/api/contacts/${danaWeb.id}`)).body.conversations.map((c: any) => c.id)).toEqual([convWeb.id]);

    // The customer writing again on the shop channel lands with the merged contact, in the same thread.
    await postWebhook(p.url, ch.shop!.id, ch.shop!.secret, customerEvent("dana-shop-77", "any news?", { name: "D. Example" }));
    await waitFor(async () => (await admin.get(`/api/conversations/${convShop.id}`)).body.conversation.lastMessage?.text === "any news?", "the new message");
    // The shop's display name does not replace the name the merge kept.
    expect((await admin.get(`/api/conversations/${convShop.id}`)).body.conversation.contact).toMatchObject({ id: danaWeb.id, name: "Dana Example" });
    expect((await admin.get("/api/contacts?q=example")).body.items.map((c: any) => c.id)).toEqual([danaWeb.id]);
  });
});
