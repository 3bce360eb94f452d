import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "../server/db/schema.js";
import { listInbox, textLimits, type TextLimits } from "../server/domain/inbox-list.js";
import type { Scope } from "../server/domain/scope.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { addPerson, type Person } from "./helpers/people.js";

/** The marked parts of a snippet, lower-cased: what the console would highlight. */
const marked = (s: { text: string; highlights: Array<{ start: number; length: number }> }) => s.highlights.map((h) => s.text.slice(h.start, h.start + h.length).toLowerCase());

describe("search", () => {
  let p: TestParley;
  let admin: ApiClient;
  let agent: Person;
  const conv = {} as Record<"zoe" | "bob" | "secret", string>;

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    agent = await addPerson(admin, "Agent Sam");
    const mine = await createApiChannel(admin, { name: "Mine" });
    const theirs = await createApiChannel(admin, { name: "Theirs" });
    await admin.post("/api/teams", { name: "Sam's team", memberIds: [agent.id], channelIds: [mine.id] });
    await admin.post("/api/teams", { name: "Other team", channelIds: [theirs.id] });
    const say = async (channel: { id: string; secret: string }, externalId: string, name: string, text: string) => {
      await postWebhook(p.url, channel.id, channel.secret, { ...customerEvent(externalId, text), contact: { externalId, name } });
      return waitFor<string>(async () => (await admin.get("/api/conversations?limit=100")).body.items.find((c: any) => c.contact.name === name && c.lastMessage?.text === text)?.id, `message of ${name}`);
    };
    conv.zoe = await say(mine, "tg-alpha-4711", "Zoë Ångström", "Hello, I need a Refund for order 4711 please. The refund was promised last week.");
    await say(mine, "tg-alpha-4711", "Zoë Ångström", "Where is my parcel? <b>refund</b> & more");
    conv.bob = await say(mine, "bob-1", "Bob Builder", "My parcel arrived broken");
    conv.secret = await say(theirs, "eve-1", "Eve Hidden", "Secret refund request from the other team");
  });
  afterAll(() => p?.stop());

  it("finds messages by any word's beginning, newest first, with plain-text highlights", async () => {
    const res = await admin.get("/api/search?q=refu");
    expect(res.status).toBe(200);
    const { messages } = res.body;
    expect(messages.map((m: any) => m.contactName)).toEqual(["Eve Hidden", "Zoë Ångström", "Zoë Ångström"]);
    const first = messages.find((m: any) => m.snippet.text.startsWith("Hello"));
    expect(first).toMatchObject({ conversationId: conv.zoe, author: "customer" });
    expect(marked(first.snippet)).toEqual(["refund", "refund"]);
    // Markup in a message stays text: the snippet is never HTML.
    const markup = messages.find((m: any) => m.snippet.text.includes("<b>"));
    expect(markup.snippet.text).toContain("<b>refund</b> & more");
    expect(marked(markup.snippet)).toEqual(["refund"]);
    // With fewer asked for than the newest messages hold, the same newest ones come first.
    expect((await admin.get("/api/search?q=refu&limit=2")).body.messages.map((m: any) => m.contactName)).toEqual(["Eve Hidden", "Zoë Ångström"]);
    // Every word must match: "refund parcel" is only in Zoë's second message.
    expect((await admin.get("/api/search?q=refund%20parcel")).body.messages.map((m: any) => m.snippet.text)).toEqual(["Where is my parcel? <b>refund</b> & more"]);
    // A short message keeps its short first word ("My" was cut off at the snippet's edge).
    expect((await admin.get("/api/search?q=arrived")).body.messages.map((m: any) => m.snippet.text)).toEqual(["My parcel arrived broken"]);
  });

  it("finds contacts by part of the name or a platform id, and their conversations", async () => {
    const byName = (await admin.get(`/api/search?q=${encodeURIComponent("ångs")}`)).body;
    expect(byName.contacts).toHaveLength(1);
    expect(byName.contacts[0]).toMatchObject({ name: "Zoë Ångström", platforms: ["api"] });
    expect(marked(byName.contacts[0].snippet)).toEqual(["ångs"]);
    expect(byName.conversations.map((c: any) => c.id)).toEqual([conv.zoe]);
    const byId = (await admin.get("/api/search?q=alpha-47")).body;
    expect(byId.contacts.map((c: any) => c.name)).toEqual(["Zoë Ångström"]);
  });

  it("the inbox filters by the same text: messages and names", async () => {
    const ids = async (q: string) => new Set((await admin.get(`/api/conversations?q=${encodeURIComponent(q)}`)).body.items.map((c: any) => c.id));
    expect(await ids("parcel")).toEqual(new Set([conv.zoe, conv.bob]));
    expect(await ids("builder")).toEqual(new Set([conv.bob]));
    expect(await ids("refund")).toEqual(new Set([conv.zoe, conv.secret]));
    expect((await agent.client.get("/api/conversations?view=all&q=refund")).body.items.map((c: any) => c.id)).toEqual([conv.zoe]);
  });

  it("an agent finds only what their teams may see", async () => {
    const res = (await agent.client.get("/api/search?q=refund")).body;
    expect(res.messages.map((m: any) => m.contactName)).toEqual(["Zoë Ångström", "Zoë Ångström"]);
    expect(res.conversations.map((c: any) => c.id)).toEqual([conv.zoe]);
    expect((await agent.client.get("/api/search?q=eve")).body.contacts).toEqual([]);
  });

  it("any text is safe: query syntax and wildcards are taken literally, nothing found is empty", async () => {
    for (const q of ["refund & | ! :* ( )", "'", "%", "_", "\\", "ö:*B"]) {
      const res = await admin.get(`/api/search?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
    }
    expect((await admin.get(`/api/search?q=${encodeURIComponent("%")}`)).body.contacts).toEqual([]);
    expect((await admin.get("/api/search?q=zzzqqq")).body).toEqual({ conversations: [], messages: [], contacts: [] });
    const empty = await admin.get("/api/search?q=%20%20");
    expect([empty.status, empty.body.code]).toEqual([400, "validation_failed"]);
    expect((await admin.get("/api/search?q=a&limit=500")).status).toBe(400);
  });
  it("the inbox's text filter pages the same by each of its ways of finding matches", async () => {
    // At this size the id lists settle every page; lowered limits send the same filters through the
    // list's top tested one by one (first or second) and the set of every match as well.
    const scopeOf = async (which: ReturnType<typeof eq>): Promise<Scope> => {
      const [u] = await p.ctx.db.select().from(users).where(which);
      return { workspaceId: u!.workspaceId, userId: u!.id, role: u!.role };
    };
    const ways: TextLimits[] = [
      textLimits,
      ...[1, 10].flatMap((common) => [
        { candidates: 1, cap: 1, common },
        { candidates: 1, cap: 100, common },
        { candidates: 2, cap: 2, common },
        { candidates: 100, cap: 1, common },
      ]),
    ];
    for (const scope of [await scopeOf(eq(users.email, ADMIN.email)), await scopeOf(eq(users.id, agent.id))]) {
      for (const q of ["parcel", "refund", "refund parcel", "builder", "ångs", "alpha-47", "zzzqqq"]) {
        for (const sort of ["activity", "waiting", "breach"] as const) {
          const whole = (await listInbox(p.ctx.db, scope, { q, sort, limit: 100 })).items.map((c) => c.id);
          for (const limits of ways) {
            const paged: string[] = [];
            let cursor: string | undefined;
            do {
              const page = await listInbox(p.ctx.db, scope, { q, sort, limit: 1, cursor }, limits);
              paged.push(...page.items.map((c) => c.id));
              cursor = page.nextCursor ?? undefined;
            } while (cursor);
            expect(paged, `${scope.role} ${q} ${sort} ${JSON.stringify(limits)}`).toEqual(whole);
          }
        }
      }
    }
  });
});
