import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Socket } from "socket.io-client";
import { hashPassword } from "../server/auth/passwords.js";
import { users, workspaces } from "../server/db/schema.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook, type Json } from "./helpers/client.js";
import { ADMIN, scaled, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";

type Live = Awaited<ReturnType<ApiClient["socket"]>>;
const join = (s: Socket, conversationId: unknown) => s.timeout(5000).emitWithAck("conversation.join", { conversationId }) as Promise<Json>;
const heard = (ws: Live, name: string, match: (p: Json) => boolean) => waitFor(async () => ws.events.find((e) => e.name === name && match(e.payload)), `${name} event`);

async function setup(p: TestParley, base = p.url) {
  const admin = await ApiClient.login(base, ADMIN.email, ADMIN.password);
  const ids: Record<string, string> = {};
  for (const name of ["ana", "bruno"]) {
    const res = await admin.post("/api/users", { email: `${name}@test.local`, name: name[0]!.toUpperCase() + name.slice(1), role: "agent", password: `${name}-password-1` });
    ids[name] = res.body.user.id;
  }
  const channel = await createApiChannel(admin);
  await postWebhook(base, channel.id, channel.secret, customerEvent("p-1", "is anyone there?"));
  const conv = await waitFor(async () => (await admin.get("/api/conversations")).body.items[0], "conversation");
  return { admin, ids, conversationId: conv.id as string };
}

describe("collision: who is viewing and typing in a conversation", () => {
  let p: TestParley;
  let ids: Record<string, string>;
  let conversationId: string;
  let ana: ApiClient;
  let bruno: ApiClient;
  const open: Live[] = [];
  const connect = async (c: ApiClient) => {
    const ws = await c.socket();
    open.push(ws);
    return ws;
  };

  beforeAll(async () => {
    p = await startTestParley();
    ({ ids, conversationId } = await setup(p));
    ana = await ApiClient.login(p.url, "ana@test.local", "ana-password-1");
    bruno = await ApiClient.login(p.url, "bruno@test.local", "bruno-password-1");
  });
  // Each test starts with nobody in the conversation.
  afterEach(async () => {
    for (const ws of open.splice(0)) ws.close();
    await new Promise((r) => setTimeout(r, 100));
  });
  afterAll(() => p?.stop());

  it("joining answers who is there; the others hear arrivals, typing, stops and departures; nobody hears themselves", async () => {
    const a = await connect(ana);
    const b = await connect(bruno);
    expect(await join(a.socket, conversationId)).toEqual({ viewers: [], typing: [] });
    expect(await join(b.socket, conversationId)).toEqual({ viewers: [{ userId: ids.ana, name: "Ana" }], typing: [] });
    await heard(a, "conversation.viewing", (e) => e.userId === ids.bruno && e.viewing === true && e.name === "Bruno" && e.conversationId === conversationId);

    b.socket.emit("conversation.typing", { conversationId, typing: true });
    await heard(a, "conversation.typing", (e) => e.userId === ids.bruno && e.typing === true);
    // A third console arriving now is told Bruno is typing.
    const a2 = await connect(await ApiClient.login(p.url, "admin@test.local", ADMIN.password));
    const ack = await join(a2.socket, conversationId);
    expect(ack.typing).toEqual([{ userId: ids.bruno, name: "Bruno" }]);
    expect(ack.viewers.map((v: Json) => v.name).sort()).toEqual(["Ana", "Bruno"]);

    b.socket.emit("conversation.typing", { conversationId, typing: false });
    await heard(a, "conversation.typing", (e) => e.userId === ids.bruno && e.typing === false);
    expect(b.events.filter((e) => (e.name === "conversation.typing" || e.name === "conversation.viewing") && e.payload.userId === ids.bruno)).toEqual([]);

    await b.socket.timeout(5000).emitWithAck("conversation.leave", { conversationId });
    await heard(a, "conversation.viewing", (e) => e.userId === ids.bruno && e.viewing === false);
  });

  it("typing lapses after 6 s without a repeat", async () => {
    const a = await connect(ana);
    const b = await connect(bruno);
    await join(a.socket, conversationId);
    await join(b.socket, conversationId);
    b.socket.emit("conversation.typing", { conversationId, typing: true });
    const started = Date.now();
    await heard(a, "conversation.typing", (e) => e.userId === ids.bruno && e.typing === true);
    const stopped = await waitFor(async () => a.events.find((e) => e.name === "conversation.typing" && e.payload.typing === false), "lapse", 9000);
    expect(stopped.payload.userId).toBe(ids.bruno);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5500);
  });

  it("a closed console leaves (and stops typing); a second tab of the same person keeps them there", async () => {
    const a = await connect(ana);
    const b1 = await connect(bruno);
    const b2 = await connect(bruno);
    await join(a.socket, conversationId);
    await join(b1.socket, conversationId);
    await join(b2.socket, conversationId);
    b1.socket.emit("conversation.typing", { conversationId, typing: true });
    await heard(a, "conversation.typing", (e) => e.typing === true);
    b1.close();
    await heard(a, "conversation.typing", (e) => e.userId === ids.bruno && e.typing === false);
    await new Promise((r) => setTimeout(r, 200));
    expect(a.events.some((e) => e.name === "conversation.viewing" && e.payload.viewing === false)).toBe(false);
    b2.close();
    await heard(a, "conversation.viewing", (e) => e.userId === ids.bruno && e.viewing === false);
  });

  it("refuses a conversation the user may not see, and a malformed id; typing before joining is ignored", async () => {
    const [ws] = await p.ctx.db.insert(workspaces).values({ name: "Elsewhere" }).returning();
    await p.ctx.db.insert(users).values({ workspaceId: ws!.id, email: "else@test.local", name: "Else", role: "admin", passwordHash: await hashPassword("else-password-1") });
    const stranger = await connect(await ApiClient.login(p.url, "else@test.local", "else-password-1"));
    const a = await connect(ana);
    await join(a.socket, conversationId);
    const refused = await join(stranger.socket, conversationId);
    expect(refused.code).toBe("not_found");
    expect((await join(stranger.socket, "nope")).code).toBe("validation_failed");
    stranger.socket.emit("conversation.typing", { conversationId, typing: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(a.events.filter((e) => e.name === "conversation.typing" || e.name === "conversation.viewing")).toEqual([]);
  });
});

/** Presence across two server processes sharing Redis: each sees the other's people. */
describe.runIf(scaled)("collision across server processes", () => {
  let a: TestParley;
  let b: TestParley;
  beforeAll(async () => {
    a = await startTestParley();
    b = await startTestParley({ role: "server", storage: a.storage });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it("a viewer on server A is in the join answer on server B, and hears B's typing", async () => {
    const { ids, conversationId } = await setup(a);
    const onA = await (await ApiClient.login(a.url, "ana@test.local", "ana-password-1")).socket();
    const onB = await (await ApiClient.login(b.url, "bruno@test.local", "bruno-password-1")).socket();
    try {
      await join(onA.socket, conversationId);
      expect((await join(onB.socket, conversationId)).viewers).toEqual([{ userId: ids.ana, name: "Ana" }]);
      await heard(onA, "conversation.viewing", (e) => e.userId === ids.bruno && e.viewing);
      onB.socket.emit("conversation.typing", { conversationId, typing: true });
      await heard(onA, "conversation.typing", (e) => e.userId === ids.bruno && e.typing);
      onB.close();
      await heard(onA, "conversation.viewing", (e) => e.userId === ids.bruno && !e.viewing);
    } finally {
      onA.close();
      onB.close();
    }
  });
});
