import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";

describe("the inbox list", () => {
  let p: TestParley;
  let admin: ApiClient;
  let ids: string[] = [];

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    const channel = await createApiChannel(admin);
    for (let i = 0; i < 5; i++) {
      await postWebhook(p.url, channel.id, channel.secret, customerEvent(`i-${i}`, `message ${i}`));
      await waitFor(async () => (await admin.get("/api/conversations?limit=100")).body.items.length === i + 1, "conversation");
    }
    ids = (await admin.get("/api/conversations?limit=100")).body.items.map((c: any) => c.id);
  });
  afterAll(() => p?.stop());

  it("lists the latest activity first and pages with a cursor, without gaps or repeats", async () => {
    const names = (await admin.get("/api/conversations")).body.items.map((c: any) => c.contact.name);
    expect(names).toEqual(["Customer i-4", "Customer i-3", "Customer i-2", "Customer i-1", "Customer i-0"]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await admin.get(`/api/conversations?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((c: any) => c.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect((await admin.get("/api/conversations?cursor=garbage")).status).toBe(400);
  });

  it("filters by status, owner and assignee; a change moves the conversation to the top", async () => {
    const me = (await admin.get("/api/me")).body.user;
    const last = ids[4]!;
    const res = await admin.patch(`/api/conversations/${last}`, { assigneeId: me.id, status: "pending" });
    expect(res.body.conversation).toMatchObject({ assigneeId: me.id, assigneeName: "Admin", status: "pending" });
    expect((await admin.get("/api/conversations?assigneeId=me")).body.items.map((c: any) => c.id)).toEqual([last]);
    expect((await admin.get("/api/conversations?assigneeId=none")).body.items).toHaveLength(4);
    expect((await admin.get("/api/conversations?status=pending")).body.items.map((c: any) => c.id)).toEqual([last]);
    expect((await admin.get("/api/conversations?status=open")).body.items).toHaveLength(4);
    expect((await admin.get("/api/conversations?owner=bot")).body.items).toHaveLength(0);
    expect((await admin.get("/api/conversations")).body.items[0].id).toBe(last);
    const bad = await admin.get("/api/conversations?status=closed&limit=500");
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: any) => i.path).sort()).toEqual(["limit", "status"]);
  });

  it("resolving and reopening are recorded, and an empty change is refused", async () => {
    const id = ids[3]!;
    expect((await admin.patch(`/api/conversations/${id}`, { status: "resolved" })).body.conversation).toMatchObject({ status: "resolved", waitingSince: null });
    const reopened = (await admin.patch(`/api/conversations/${id}`, { status: "open" })).body.conversation;
    expect(reopened).toMatchObject({ status: "open", resolvedAt: null });
    const empty = await admin.patch(`/api/conversations/${id}`, {});
    expect(empty.status).toBe(400);
  });

  it("a channel change reaches open consoles live", async () => {
    const ws = await admin.socket();
    try {
      const channel = await createApiChannel(admin, { name: "Before" });
      await admin.patch(`/api/channels/${channel.id}`, { name: "Renamed live" });
      const pushed = await waitFor(async () => ws.events.find((e) => e.name === "channel.updated" && e.payload.channel.id === channel.id), "channel push");
      expect(pushed.payload.channel).toMatchObject({ name: "Renamed live", status: "active" });
      // Secrets never travel to browsers.
      expect(JSON.stringify(pushed.payload)).not.toContain(channel.secret);
    } finally {
      ws.close();
    }
  });
});
