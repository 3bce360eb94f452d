import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../server/auth/passwords.js";
import { users, workspaces } from "../server/db/schema.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";

type Ids = { conversation: string; channel: string; user: string; message: string; team: string; policy: string; doomedTeam: string; doomedPolicy: string; article: string; spareArticle: string; dryRun: string; contact: string; canned: string; label: string; doomedLabel: string };
type Case = { method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE"; path: (ids: Ids) => string; body?: (ids: Ids) => unknown; allowed: Array<"admin" | "supervisor" | "agent">; ok: number; idRoute: boolean };
const hours = { timeZone: "Europe/Berlin", weekly: { mon: [{ from: "09:00", to: "17:00" }] } };

const all = ["admin", "supervisor", "agent"] as const;
const cases: Case[] = [
  { method: "GET", path: () => "/api/me", allowed: [...all], ok: 200, idRoute: false },
  { method: "GET", path: () => "/api/conversations", allowed: [...all], ok: 200, idRoute: false },
  { method: "GET", path: (i) => `/api/conversations/${i.conversation}`, allowed: [...all], ok: 200, idRoute: true },
  { method: "PATCH", path: (i) => `/api/conversations/${i.conversation}`, body: () => ({ status: "pending" }), allowed: [...all], ok: 200, idRoute: true },
  { method: "GET", path: (i) => `/api/conversations/${i.conversation}/messages`, allowed: [...all], ok: 200, idRoute: true },
  { method: "POST", path: (i) => `/api/conversations/${i.conversation}/messages`, body: () => ({ text: "a note", visibility: "note" }), allowed: [...all], ok: 201, idRoute: true },
  // The API channel has no comments to moderate: allowed callers get the platform's refusal (409).
  { method: "POST", path: (i) => `/api/conversations/${i.conversation}/messages/${i.message}/moderation`, body: () => ({ action: "hide" }), allowed: [...all], ok: 409, idRoute: true },
  { method: "GET", path: () => "/api/channels", allowed: [...all], ok: 200, idRoute: false },
  { method: "POST", path: () => "/api/channels", body: () => ({ platform: "api", name: "New" }), allowed: ["admin"], ok: 201, idRoute: false },
  { method: "PATCH", path: (i) => `/api/channels/${i.channel}`, body: () => ({ name: "Renamed" }), allowed: ["admin"], ok: 200, idRoute: true },
  { method: "GET", path: (i) => `/api/channels/${i.channel}/bot`, allowed: ["admin"], ok: 200, idRoute: true },
  { method: "PUT", path: (i) => `/api/channels/${i.channel}/bot`, body: () => ({ settings: { handoffAfterMisses: 4 } }), allowed: ["admin"], ok: 200, idRoute: true },
  { method: "GET", path: () => "/api/users", allowed: [...all], ok: 200, idRoute: false },
  { method: "POST", path: () => `/api/users`, body: () => ({ email: `u${Math.random()}@x.test`, name: "U", role: "agent", password: "long-enough-pw" }), allowed: ["admin"], ok: 201, idRoute: false },
  { method: "PATCH", path: (i) => `/api/users/${i.user}`, body: () => ({ name: "Agent Smith" }), allowed: ["admin"], ok: 200, idRoute: true },
  { method: "GET", path: (i) => `/api/reports/response-times?channelId=${i.channel}`, allowed: ["admin", "supervisor"], ok: 200, idRoute: true },
  { method: "GET", path: (i) => `/api/reports/response-times?teamId=${i.team}&groupBy=agent&format=csv`, allowed: ["admin", "supervisor"], ok: 200, idRoute: false },
  { method: "GET", path: (i) => `/api/reports/overview?channelId=${i.channel}`, allowed: ["admin", "supervisor"], ok: 200, idRoute: true },
  { method: "GET", path: (i) => `/api/reports/live?teamId=${i.team}`, allowed: ["admin", "supervisor"], ok: 200, idRoute: false },
  { method: "GET", path: () => "/api/teams", allowed: [...all], ok: 200, idRoute: false },
  { method: "POST", path: () => "/api/teams", body: () => ({ name: `Team ${Math.random()}` }), allowed: ["admin"], ok: 201, idRoute: false },
  // The agent is a member of this team: every role may read it.
  { method: "GET", path: (i) => `/api/teams/${i.team}`, allowed: [...all], ok: 200, idRoute: true },
  { method: "PATCH", path: (i) => `/api/teams/${i.team}`, body: () => ({ assignment: { capacity: 4 } }), allowed: ["admin"], ok: 200, idRoute: true },
  { method: "DELETE", path: (i) => `/api/teams/${i.doomedTeam}`, allowed: ["admin"], ok: 200, idRoute: true },
  { method: "GET", path: () => "/api/business-hours", allowed: [...all], ok: 200, idRoute: false },
  { method: "PUT", path: () => "/api/business-hours", body: () => hours, allowed: ["admin"], ok: 200, idRoute: false },
  { method: "GET", path: () => "/api/sla-policies", allowed: ["admin", "supervisor"], ok: 200, idRoute: false },
  { method: "POST", path: () => "/api/sla-policies", body: () => ({ name: "P", firstResponseSeconds: 3600 }), allowed: ["admin"], ok: 201, idRoute: false },
  { method: "GET", path: (i) => `/api/sla-policies/${i.policy}`, allowed: ["admin", "supervisor"], ok: 200, idRoute: true },
  { method: "PATCH", path: (i) => `/api/sla-policies/${i.policy}`, body: () => ({ name: "Renamed" }), allowed: ["admin"], ok: 200, idRoute: true },
  { method: "DELETE", path: (i) => `/api/sla-policies/${i.doomedPolicy}`, allowed: ["admin"], ok: 200, idRoute: true },
  { method: "GET", path: (i) => `/api/conversations/${i.conversation}/sla`, allowed: [...all], ok: 200, idRoute: true },
  { method: "PUT", path: () => "/api/me/availability", body: () => ({ availability: "away" }), allowed: [...all], ok: 200, idRoute: false },
  { method: "PUT", path: (i) => `/api/users/${i.user}/availability`, body: () => ({ availability: "away" }), allowed: ["admin", "supervisor"], ok: 200, idRoute: true },
  // Bots and knowledge.
  { method: "GET", path: () => "/api/knowledge/articles", allowed: [...all], ok: 200, idRoute: false },
  { method: "POST", path: () => "/api/knowledge/articles", body: () => ({ title: "New article", body: "Text." }), allowed: ["admin"], ok: 201, idRoute: false },
  { method: "GET", path: (i) => `/api/knowledge/articles/${i.article}`, allowed: [...all], ok: 200, idRoute: true },
  { method: "PATCH", path: (i) => `/api/knowledge/articles/${i.article}`, body: () => ({ enabled: true }), allowed: ["admin"], ok: 200, idRoute: true },
  { method: "DELETE", path: (i) => `/api/knowledge/articles/${i.spareArticle}`, allowed: ["admin"], ok: 200, idRoute: true },
  { method: "POST", path: () => "/api/knowledge/import", body: () => ({ format: "json", files: [{ name: "a.json", content: '[{"title":"Imported","body":"Text."}]' }] }), allowed: ["admin"], ok: 200, idRoute: false },
  { method: "GET", path: () => "/api/knowledge/search?q=shipping", allowed: [...all], ok: 200, idRoute: false },
  { method: "GET", path: () => "/api/bots/llm", allowed: ["admin"], ok: 200, idRoute: false },
  { method: "PUT", path: () => "/api/bots/llm", body: () => ({ temperature: 0.3 }), allowed: ["admin"], ok: 200, idRoute: false },
  { method: "POST", path: () => "/api/bots/llm/test", body: () => ({}), allowed: ["admin"], ok: 200, idRoute: false },
  { method: "POST", path: (i) => `/api/channels/${i.channel}/bot/dry-runs`, body: () => ({ limit: 1, useLlm: false }), allowed: ["admin"], ok: 202, idRoute: true },
  { method: "GET", path: (i) => `/api/channels/${i.channel}/bot/dry-runs`, allowed: ["admin"], ok: 200, idRoute: true },
  { method: "GET", path: (i) => `/api/bots/dry-runs/${i.dryRun}`, allowed: ["admin"], ok: 200, idRoute: true },
  // The conversation's message is the customer's: allowed callers get "only a bot's answer" (409).
  { method: "POST", path: (i) => `/api/conversations/${i.conversation}/messages/${i.message}/wrong-answer`, body: () => ({}), allowed: [...all], ok: 409, idRoute: true },
  { method: "DELETE", path: (i) => `/api/conversations/${i.conversation}/messages/${i.message}/wrong-answer`, allowed: [...all], ok: 409, idRoute: true },
  { method: "GET", path: () => "/api/bots/wrong-answers", allowed: ["admin", "supervisor"], ok: 200, idRoute: false },
  { method: "GET", path: () => "/api/bots/report", allowed: ["admin", "supervisor"], ok: 200, idRoute: false },
  { method: "GET", path: (i) => `/api/bots/turns?conversationId=${i.conversation}`, allowed: ["admin", "supervisor"], ok: 200, idRoute: true },
  { method: "PATCH", path: () => "/api/me", body: () => ({ name: "Same Person" }), allowed: [...all], ok: 200, idRoute: false },
  { method: "POST", path: () => "/api/users/invite", body: () => ({ email: `i${Math.random()}@x.test`, name: "Invitee", role: "agent" }), allowed: ["admin"], ok: 201, idRoute: false },
  { method: "POST", path: (i) => `/api/users/${i.user}/reset-link`, allowed: ["admin"], ok: 201, idRoute: true },
  { method: "GET", path: () => "/api/notifications", allowed: [...all], ok: 200, idRoute: false },
  { method: "POST", path: () => "/api/notifications/read", body: () => ({ all: true }), allowed: [...all], ok: 200, idRoute: false },
  // Canned replies: everyone reads, managers keep them (DELETE has its own case below).
  { method: "GET", path: () => "/api/canned-responses?q=hello", allowed: [...all], ok: 200, idRoute: false },
  { method: "POST", path: () => "/api/canned-responses", body: () => ({ shortcut: `s${Math.floor(Math.random() * 1e9)}`, title: "T", text: "Text" }), allowed: ["admin", "supervisor"], ok: 201, idRoute: false },
  { method: "PATCH", path: (i) => `/api/canned-responses/${i.canned}`, body: () => ({ title: "Renamed" }), allowed: ["admin", "supervisor"], ok: 200, idRoute: true },
  // Contacts: the agent sees this one through their team's conversation.
  { method: "GET", path: () => "/api/contacts?q=customer", allowed: [...all], ok: 200, idRoute: false },
  { method: "GET", path: (i) => `/api/contacts/${i.contact}`, allowed: [...all], ok: 200, idRoute: true },
  { method: "PATCH", path: (i) => `/api/contacts/${i.contact}`, body: () => ({ phone: "+1 555 0100" }), allowed: [...all], ok: 200, idRoute: true },
  { method: "POST", path: (i) => `/api/contacts/${i.contact}/notes`, body: () => ({ text: "A note" }), allowed: [...all], ok: 201, idRoute: true },
  // The API channel's conversation is about no post: allowed callers get 404 (no picture), not 401/403.
  { method: "GET", path: (i) => `/api/conversations/${i.conversation}/context-picture`, allowed: [...all], ok: 404, idRoute: true },
  // The API channel's customer sent no picture: allowed callers get 404, not 401/403 (contact-avatars.test.ts serves real ones).
  { method: "GET", path: (i) => `/api/contacts/${i.contact}/avatar`, allowed: [...all], ok: 404, idRoute: true },
  // Merging a contact with itself: allowed callers get 400 merge_same_contact.
  { method: "POST", path: (i) => `/api/contacts/${i.contact}/merge`, body: (i) => ({ otherId: i.contact }), allowed: [...all], ok: 400, idRoute: true },
  // Finding: views, labels, bulk, search, saved views.
  { method: "GET", path: () => "/api/conversations/counts", allowed: [...all], ok: 200, idRoute: false },
  { method: "GET", path: () => "/api/conversations?view=all&sort=breach&q=hello", allowed: [...all], ok: 200, idRoute: false },
  { method: "PUT", path: (i) => `/api/conversations/${i.conversation}/labels`, body: () => ({ labels: [] }), allowed: [...all], ok: 200, idRoute: true },
  // Bulk names its conversations in the body: another workspace gets each one back as not_found (below).
  { method: "POST", path: () => "/api/conversations/bulk", body: (i) => ({ ids: [i.conversation], set: { priority: "normal" } }), allowed: [...all], ok: 200, idRoute: false },
  { method: "GET", path: () => "/api/search?q=hello", allowed: [...all], ok: 200, idRoute: false },
  { method: "GET", path: () => "/api/labels", allowed: [...all], ok: 200, idRoute: false },
  { method: "POST", path: () => "/api/labels", body: () => ({ name: `L${Math.random()}`, color: "#1f6feb" }), allowed: ["admin"], ok: 201, idRoute: false },
  { method: "PATCH", path: (i) => `/api/labels/${i.label}`, body: () => ({ color: "#000000" }), allowed: ["admin"], ok: 200, idRoute: true },
  { method: "DELETE", path: (i) => `/api/labels/${i.doomedLabel}`, allowed: ["admin"], ok: 200, idRoute: true },
  { method: "GET", path: () => "/api/views", allowed: [...all], ok: 200, idRoute: false },
  { method: "POST", path: () => "/api/views", body: () => ({ name: "Mine", filters: { view: "mine" } }), allowed: [...all], ok: 201, idRoute: false },
  // A saved view is its owner's alone: one that is nobody's answers 404 to every role (finding.test.ts deletes real ones).
  { method: "DELETE", path: () => `/api/views/00000000-0000-4000-8000-000000000000`, allowed: [...all], ok: 404, idRoute: false },
];

describe("access to every route", () => {
  let p: TestParley;
  const as: Record<string, ApiClient> = {};
  let ids: Ids;

  beforeAll(async () => {
    p = await startTestParley({ env: { LOGIN_MAX_ATTEMPTS: "3" } });
    as.admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    for (const role of ["supervisor", "agent"] as const) {
      const res = await as.admin!.post("/api/users", { email: `${role}@test.local`, name: role, role, password: `${role}-password-1` });
      expect(res.status).toBe(201);
      as[role] = await ApiClient.login(p.url, `${role}@test.local`, `${role}-password-1`);
    }
    const channel = await createApiChannel(as.admin);
    await postWebhook(p.url, channel.id, channel.secret, customerEvent("a-1", "hello"));
    const conv = await waitFor(async () => (await as.admin!.get("/api/conversations")).body.items[0], "conversation");
    const [first] = (await as.admin!.get(`/api/conversations/${conv.id}/messages`)).body.items;
    const agentId = (await as.agent!.get("/api/me")).body.user.id;
    const team = (await as.admin!.post("/api/teams", { name: "Matrix", memberIds: [agentId], channelIds: [channel.id] })).body.team;
    const doomedTeam = (await as.admin!.post("/api/teams", { name: "Doomed" })).body.team;
    const policy = (await as.admin!.post("/api/sla-policies", { name: "Matrix", firstResponseSeconds: 3600 })).body.policy;
    const doomedPolicy = (await as.admin!.post("/api/sla-policies", { name: "Doomed", resolutionSeconds: 3600 })).body.policy;
    const article = (await as.admin!.post("/api/knowledge/articles", { title: "Shipping", body: "Two days." })).body.article.id;
    const spareArticle = (await as.admin!.post("/api/knowledge/articles", { title: "Spare", body: "To delete." })).body.article.id;
    const dryRun = (await as.admin!.post(`/api/channels/${channel.id}/bot/dry-runs`, { limit: 1, useLlm: false })).body.dryRun.id;
    const canned = (await as.admin!.post("/api/canned-responses", { shortcut: "matrix", title: "Matrix", text: "Hello {{contact.name}}" })).body.cannedResponse.id;
    const label = (await as.admin!.post("/api/labels", { name: "Keep", color: "#1f6feb" })).body.label.id;
    const doomedLabel = (await as.admin!.post("/api/labels", { name: "Doomed", color: "#1f6feb" })).body.label.id;
    ids = { conversation: conv.id, channel: channel.id, user: agentId, message: first.id, team: team.id, policy: policy.id, doomedTeam: doomedTeam.id, doomedPolicy: doomedPolicy.id, article, spareArticle, dryRun, contact: conv.contact.id, canned, label, doomedLabel };

    // A second workspace with its own admin, who must not see anything of the first.
    const [ws] = await p.ctx.db.insert(workspaces).values({ name: "Other" }).returning();
    await p.ctx.db.insert(users).values({ workspaceId: ws!.id, email: "other@test.local", name: "Other", role: "admin", passwordHash: await hashPassword("other-password-1") });
    as.other = await ApiClient.login(p.url, "other@test.local", "other-password-1");
  });
  afterAll(() => p?.stop());

  for (const c of cases) {
    const name = `${c.method} ${c.path({ conversation: ":id", channel: ":id", user: ":id", message: ":messageId", team: ":id", policy: ":id", doomedTeam: ":id", doomedPolicy: ":id", article: ":id", spareArticle: ":id", dryRun: ":id", contact: ":id", canned: ":id", label: ":id", doomedLabel: ":id" })}`;
    it(`${name}: anonymous 401, roles ${c.allowed.join("/")} allowed, others 403, other workspace ${c.idRoute ? "404" : "sees only its own"}`, async () => {
      const anon = new ApiClient(p.url);
      expect((await anon.request(c.method, c.path(ids), c.body?.(ids))).status).toBe(401);
      for (const role of all) {
        const res = await as[role]!.request(c.method, c.path(ids), c.body?.(ids));
        expect(res.status, `${role}: ${JSON.stringify(res.body)}`).toBe(c.allowed.includes(role) ? c.ok : 403);
      }
      if (c.idRoute) {
        const res = await as.other!.request(c.method, c.path(ids), c.body?.(ids));
        expect(res.status, JSON.stringify(res.body)).toBe(404);
      }
    });
  }

  it("another workspace's lists and sockets show none of this workspace's data", async () => {
    expect((await as.other!.get("/api/conversations")).body.items).toEqual([]);
    expect((await as.other!.get("/api/search?q=hello")).body).toEqual({ conversations: [], messages: [], contacts: [] });
    expect((await as.other!.get("/api/labels")).body.items).toEqual([]);
    expect(Object.values((await as.other!.get("/api/conversations/counts")).body.counts).every((n) => n === 0)).toBe(true);
    const bulk = (await as.other!.post("/api/conversations/bulk", { ids: [ids.conversation], set: { priority: "urgent" } })).body;
    expect(bulk).toEqual({ updated: [], failed: [{ id: ids.conversation, error: "conversation not found", code: "not_found" }] });
    expect((await as.other!.get("/api/channels")).body.items).toEqual([]);
    expect((await as.other!.get("/api/knowledge/articles")).body.items).toEqual([]);
    expect((await as.other!.get("/api/knowledge/search?q=shipping")).body.items).toEqual([]);
    expect((await as.other!.get("/api/users")).body.items.map((u: any) => u.email)).toEqual(["other@test.local"]);
    const live = (await as.other!.get("/api/reports/live")).body;
    expect([live.waiting.count, live.botOwned, live.agents.map((a: any) => a.name)]).toEqual([0, 0, [expect.any(String)]]);
    expect((await as.other!.get("/api/reports/overview")).body).toMatchObject({ conversations: 0, messagesIn: 0, messagesOut: 0 });
    expect((await as.other!.get("/api/reports/response-times")).body.firstResponseTime.count).toBe(0);
    const otherWs = await as.other!.socket();
    const agentWs = await as.agent!.socket();
    try {
      await as.admin!.post(`/api/conversations/${ids.conversation}/messages`, { text: "secret note", visibility: "note" });
      await waitFor(async () => agentWs.events.find((e) => e.name === "message.created" && e.payload.message.text === "secret note"), "agent push");
      await new Promise((r) => setTimeout(r, 200));
      expect(otherWs.events).toEqual([]);
    } finally {
      otherWs.close();
      agentWs.close();
    }
  });

  it("only admins see how a channel is connected (verify token, setup steps)", async () => {
    const created = await as.admin!.post("/api/channels", {
      platform: "facebook",
      name: "Page",
      config: { pageId: "555000111", appSecret: "app-secret-value", verifyToken: "verify-me-please", accessToken: "page-token-value" },
    });
    expect(created.status).toBe(201);
    const forAdmin = (await as.admin!.get("/api/channels")).body.items.find((c: any) => c.id === created.body.id);
    expect(forAdmin.setup.verifyToken).toBe("verify-me-please");
    const forAgent = (await as.agent!.get("/api/channels")).body.items.find((c: any) => c.id === created.body.id);
    expect(forAgent.setup).toEqual({ verifyToken: null, steps: [] });
    expect(forAgent.config).toEqual({});
    // Secrets never leave the server, for anyone.
    for (const list of [forAdmin, forAgent]) expect(JSON.stringify(list)).not.toMatch(/app-secret-value|page-token-value/);
  });

  it("team scope: an agent outside a conversation's team gets 404 on every conversation route and no live event", async () => {
    const outsider = await as.admin!.post("/api/users", { email: "outsider@test.local", name: "Outsider", role: "agent", password: "outsider-password-1" });
    const out = await ApiClient.login(p.url, "outsider@test.local", "outsider-password-1");
    const ws = await out.socket();
    try {
      const reads: Array<[Case["method"], string, unknown?]> = [
        ["GET", `/api/conversations/${ids.conversation}`],
        ["GET", `/api/conversations/${ids.conversation}/messages`],
        ["GET", `/api/conversations/${ids.conversation}/sla`],
        ["PATCH", `/api/conversations/${ids.conversation}`, { priority: "high" }],
        ["POST", `/api/conversations/${ids.conversation}/messages`, { text: "x", visibility: "note" }],
        ["POST", `/api/conversations/${ids.conversation}/messages/${ids.message}/moderation`, { action: "hide" }],
        ["GET", `/api/teams/${ids.team}`],
        ["GET", `/api/contacts/${ids.contact}`],
        ["GET", `/api/contacts/${ids.contact}/avatar`],
        ["PATCH", `/api/contacts/${ids.contact}`, { name: "Renamed" }],
        ["POST", `/api/contacts/${ids.contact}/notes`, { text: "x" }],
        ["POST", `/api/contacts/${ids.contact}/merge`, { otherId: ids.contact }],
        ["PUT", `/api/conversations/${ids.conversation}/labels`, { labels: [] }],
      ];
      for (const [method, path, body] of reads) expect((await out.request(method, path, body)).status, `${method} ${path}`).toBe(404);
      expect((await out.get("/api/conversations")).body.items.map((c: any) => c.id)).not.toContain(ids.conversation);
      expect((await out.get("/api/teams")).body.items).toEqual([]);
      expect((await out.get("/api/contacts")).body.items).toEqual([]);
      expect((await out.post("/api/conversations/bulk", { ids: [ids.conversation], set: { priority: "urgent" } })).body.failed.map((f: any) => f.code)).toEqual(["not_found"]);
      expect((await out.get("/api/search?q=hello")).body).toEqual({ conversations: [], messages: [], contacts: [] });
      expect(Object.values((await out.get("/api/conversations/counts")).body.counts).every((n) => n === 0)).toBe(true);
      await as.admin!.post(`/api/conversations/${ids.conversation}/messages`, { text: "team only", visibility: "note" });
      await new Promise((r) => setTimeout(r, 300));
      expect(ws.events.filter((e) => e.name.startsWith("message.") || e.name.startsWith("conversation."))).toEqual([]);
      // Assigned to them, they may.
      await as.admin!.patch(`/api/conversations/${ids.conversation}`, { assigneeId: outsider.body.user.id });
      expect((await out.get(`/api/conversations/${ids.conversation}`)).status).toBe(200);
    } finally {
      ws.close();
    }
  });

  it("DELETE /api/canned-responses/:id: anonymous 401, agents 403, admins and supervisors 200, other workspace 404", async () => {
    const make = async (shortcut: string) => (await as.admin!.post("/api/canned-responses", { shortcut, title: shortcut, text: "Bye" })).body.cannedResponse.id as string;
    const [a, b] = [await make("doomed-a"), await make("doomed-b")];
    expect((await new ApiClient(p.url).request("DELETE", `/api/canned-responses/${a}`)).status).toBe(401);
    expect((await as.agent!.request("DELETE", `/api/canned-responses/${a}`)).status).toBe(403);
    expect((await as.other!.request("DELETE", `/api/canned-responses/${a}`)).status).toBe(404);
    expect((await as.supervisor!.request("DELETE", `/api/canned-responses/${a}`)).status).toBe(200);
    expect((await as.admin!.request("DELETE", `/api/canned-responses/${b}`)).status).toBe(200);
    expect((await as.other!.get("/api/canned-responses")).body.items).toEqual([]);
    expect((await as.other!.get("/api/contacts")).body.items).toEqual([]);
  });

  it("uploads and attachment downloads: anonymous 401, every role may upload, another workspace never sees a file", async () => {
    const send = (c: ApiClient | null) =>
      fetch(`${p.url}/api/uploads?name=a.pdf`, { method: "POST", headers: { "content-type": "application/pdf", ...(c ? { cookie: c.cookie } : {}) }, body: "%PDF-1.4 test" });
    expect((await send(null)).status).toBe(401);
    for (const role of all) expect((await send(as[role]!)).status, role).toBe(201);
    const { upload } = (await (await send(as.agent!)).json()) as { upload: { id: string } };
    const note = await as.agent!.post(`/api/conversations/${ids.conversation}/messages`, { text: "file", visibility: "note", attachmentIds: [upload.id] });
    expect(note.status).toBe(201);
    const get = (c: ApiClient | null) => fetch(`${p.url}/api/attachments/${upload.id}`, { headers: c ? { cookie: c.cookie } : {} });
    expect((await get(null)).status).toBe(401);
    for (const role of all) expect((await get(as[role]!)).status, role).toBe(200);
    expect((await get(as.other!)).status).toBe(404);
  });

  it("one-time-link endpoints are public but need a valid token; signing out everywhere needs a session", async () => {
    const anon = new ApiClient(p.url);
    const token = "x".repeat(43);
    expect((await anon.get(`/api/auth/token-info?token=${token}`)).body.code).toBe("invalid_token");
    expect((await anon.post("/api/auth/set-password", { token, password: "long-enough-pw" })).body.code).toBe("invalid_token");
    expect((await anon.post("/api/auth/logout-everywhere")).status).toBe(401);
  });

  it("another workspace's notifications are never listed", async () => {
    await as.admin!.post(`/api/conversations/${ids.conversation}/messages`, { text: "@agent", visibility: "note", mentions: [ids.user] });
    expect((await as.agent!.get("/api/notifications")).body.items.length).toBeGreaterThan(0);
    expect((await as.other!.get("/api/notifications")).body.items).toEqual([]);
    const mention = await as.admin!.post(`/api/conversations/${ids.conversation}/messages`, { text: "@other", visibility: "note", mentions: [(await as.other!.get("/api/me")).body.user.id] });
    expect(mention.body.code).toBe("unknown_mention");
  });

  it("a socket without a session is refused", async () => {
    await expect(new ApiClient(p.url).socket()).rejects.toThrow(/unauthorized/);
  });

  it("refuses cookie-authenticated mutations from another site", async () => {
    const evil = await as.admin!.request("PATCH", `/api/conversations/${ids.conversation}`, { status: "resolved" }, { origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    const fetchSite = await as.admin!.request("POST", "/api/users", { email: "x@y.z", name: "x", role: "admin", password: "0123456789" }, { "sec-fetch-site": "cross-site" });
    expect(fetchSite.status).toBe(403);
    expect((await as.admin!.request("PATCH", `/api/conversations/${ids.conversation}`, { status: "open" }, { origin: p.url })).status).toBe(200);
  });

  it("a foreign or unknown id answers 404, a malformed one 400", async () => {
    expect((await as.admin!.get("/api/conversations/00000000-0000-4000-8000-000000000000")).status).toBe(404);
    const bad = await as.admin!.get("/api/conversations/not-an-id");
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe("id");
    const assignForeign = await as.admin!.patch(`/api/conversations/${ids.conversation}`, { assigneeId: (await as.other!.get("/api/me")).body.user.id });
    expect(assignForeign.status).toBe(400);
  });

  it("login: wrong password 401, then rate-limited with Retry-After; logout ends the session", async () => {
    const c = new ApiClient(p.url);
    for (let i = 0; i < 3; i++) expect((await c.post("/api/auth/login", { email: "agent@test.local", password: "wrong" })).status).toBe(401);
    const limited = await c.post("/api/auth/login", { email: "agent@test.local", password: "agent-password-1" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);

    const s = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    expect((await s.get("/api/me")).status).toBe(200);
    await s.post("/api/auth/logout");
    const stale = new ApiClient(p.url);
    stale.cookie = s.cookie;
    expect((await stale.get("/api/me")).status).toBe(401);
  });

  it("the session cookie is httpOnly and SameSite", async () => {
    const res = await new ApiClient(p.url).post("/api/auth/login", { email: ADMIN.email, password: ADMIN.password });
    expect(res.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Lax/);
  });
});
