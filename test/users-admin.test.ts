import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./helpers/client.js";
import { ADMIN, scaled, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";

const DAY = 24 * 3600_000;

/** Waits for a socket to be closed by the server (not by the test). */
const cutOff = (s: Awaited<ReturnType<ApiClient["socket"]>>) =>
  waitFor(async () => s.socket.disconnected, "the server to close the socket", 5000);

const tokenOf = (link: string) => new URL(link).searchParams.get("token")!;

describe("user management: invitations, reset links, deactivation, profile", () => {
  let p: TestParley;
  let admin: ApiClient;

  beforeAll(async () => {
    p = await startTestParley({ env: { PUBLIC_URL: "https://parley.example.com" } });
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
  });
  afterAll(() => p?.stop());

  async function invite(email: string, role = "agent") {
    const res = await admin.post("/api/users/invite", { email, name: `Name ${email}`, role });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { user: { id: string }; link: string; expiresAt: string };
  }

  async function accept(link: string, password: string) {
    const c = new ApiClient(p.url);
    const res = await c.post("/api/auth/set-password", { token: tokenOf(link), password });
    return { c, res };
  }

  it("an invitee sets their own password from a one-time link on PUBLIC_URL, valid 7 days, and is logged in", async () => {
    const inv = await invite("new.agent@test.local");
    expect(inv.link).toMatch(/^https:\/\/parley\.example\.com\/set-password\?token=[\w-]{40,}$/);
    expect(new Date(inv.expiresAt).getTime() - p.clock.now().getTime()).toBeGreaterThan(7 * DAY - 60_000);
    // Listed at once, but nobody can log in as them before they choose a password.
    expect((await admin.get("/api/users")).body.items.map((u: any) => u.email)).toContain("new.agent@test.local");
    expect((await new ApiClient(p.url).post("/api/auth/login", { email: "new.agent@test.local", password: "!unset" })).status).toBe(401);

    const info = await new ApiClient(p.url).get(`/api/auth/token-info?token=${tokenOf(inv.link)}`);
    expect(info.status).toBe(200);
    expect(info.body).toEqual({ email: "new.agent@test.local", name: "Name new.agent@test.local", purpose: "invite", expiresAt: inv.expiresAt });

    const short = await accept(inv.link, "short");
    expect(short.res.status).toBe(400);
    const { c, res } = await accept(inv.link, "my-own-password-1");
    expect(res.status).toBe(200);
    expect(res.body.user.email).toBe("new.agent@test.local");
    expect((await c.get("/api/me")).body.user.role).toBe("agent");
    await ApiClient.login(p.url, "new.agent@test.local", "my-own-password-1");

    // Single use.
    const again = await accept(inv.link, "another-password-2");
    expect(again.res.status).toBe(404);
    expect(again.res.body.code).toBe("invalid_token");
    expect((await new ApiClient(p.url).get(`/api/auth/token-info?token=${tokenOf(inv.link)}`)).body.code).toBe("invalid_token");
  });

  it("an invitation expires after 7 days; inviting a taken email is refused", async () => {
    const inv = await invite("late@test.local");
    p.clock.advance(7 * DAY + 1000);
    expect((await new ApiClient(p.url).get(`/api/auth/token-info?token=${tokenOf(inv.link)}`)).status).toBe(404);
    expect((await accept(inv.link, "too-late-password")).res.body.code).toBe("invalid_token");
    const dup = await admin.post("/api/users/invite", { email: "LATE@test.local", name: "Dup", role: "agent" });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe("email_taken");
    // The admin can still let them in with a fresh link.
    const reset = await admin.post(`/api/users/${inv.user.id}/reset-link`);
    expect(reset.status).toBe(201);
    expect((await accept(reset.body.link, "on-time-password")).res.status).toBe(200);
  });

  it("a reset link (24 h) replaces the password, ends every session and closes live connections; an older link stops working", async () => {
    const inv = await invite("forgetful@test.local");
    await accept(inv.link, "first-password-1");
    const session = await ApiClient.login(p.url, "forgetful@test.local", "first-password-1");
    const ws = await session.socket();
    try {
      const first = await admin.post(`/api/users/${inv.user.id}/reset-link`);
      const second = await admin.post(`/api/users/${inv.user.id}/reset-link`);
      expect(second.status).toBe(201);
      expect(new Date(second.body.expiresAt).getTime() - p.clock.now().getTime()).toBeLessThanOrEqual(DAY);
      expect((await new ApiClient(p.url).get(`/api/auth/token-info?token=${tokenOf(first.body.link)}`)).status).toBe(404);
      expect((await new ApiClient(p.url).get(`/api/auth/token-info?token=${tokenOf(second.body.link)}`)).body.purpose).toBe("reset");
      // The old password works until the link is used.
      expect((await session.get("/api/me")).status).toBe(200);
      expect((await accept(second.body.link, "second-password-2")).res.status).toBe(200);
      await cutOff(ws);
      expect((await session.get("/api/me")).status).toBe(401);
      expect((await new ApiClient(p.url).post("/api/auth/login", { email: "forgetful@test.local", password: "first-password-1" })).status).toBe(401);
      await ApiClient.login(p.url, "forgetful@test.local", "second-password-2");
    } finally {
      ws.close();
    }
  });

  it("deactivation cuts the user off at once (sockets, sessions, links); reactivation lets them back", async () => {
    const inv = await invite("leaving@test.local");
    await accept(inv.link, "leaving-password-1");
    const session = await ApiClient.login(p.url, "leaving@test.local", "leaving-password-1");
    const ws = await session.socket();
    const watcher = await admin.socket();
    try {
      const pending = await admin.post(`/api/users/${inv.user.id}/reset-link`);
      const off = await admin.patch(`/api/users/${inv.user.id}`, { active: false });
      expect(off.status).toBe(200);
      expect(off.body.user.active).toBe(false);
      await cutOff(ws);
      expect((await session.get("/api/me")).status).toBe(401);
      expect((await new ApiClient(p.url).post("/api/auth/login", { email: "leaving@test.local", password: "leaving-password-1" })).status).toBe(401);
      expect((await accept(pending.body.link, "sneaky-password-1")).res.body.code).toBe("invalid_token");
      const reset = await admin.post(`/api/users/${inv.user.id}/reset-link`);
      expect(reset.status).toBe(409);
      expect(reset.body.code).toBe("user_inactive");
      // Supervisors' consoles hear about it live.
      await waitFor(async () => watcher.events.find((e) => e.name === "user.updated" && e.payload.user.id === inv.user.id && !e.payload.user.active), "user.updated");

      expect((await admin.patch(`/api/users/${inv.user.id}`, { active: true })).body.user.active).toBe(true);
      await ApiClient.login(p.url, "leaving@test.local", "leaving-password-1");
    } finally {
      ws.close();
      watcher.close();
    }
  });

  it("an admin's password or role change closes that user's sockets; a name change does not; nobody deactivates themselves", async () => {
    const inv = await invite("changed@test.local");
    await accept(inv.link, "changed-password-1");
    let session = await ApiClient.login(p.url, "changed@test.local", "changed-password-1");
    let ws = await session.socket();
    try {
      await admin.patch(`/api/users/${inv.user.id}`, { name: "Renamed" });
      await new Promise((r) => setTimeout(r, 200));
      expect(ws.socket.connected).toBe(true);
      await admin.patch(`/api/users/${inv.user.id}`, { role: "supervisor" });
      await cutOff(ws);
      session = await ApiClient.login(p.url, "changed@test.local", "changed-password-1");
      expect((await session.get("/api/me")).body.user.role).toBe("supervisor");
      ws = await session.socket();
      await admin.patch(`/api/users/${inv.user.id}`, { password: "set-by-admin-1" });
      await cutOff(ws);
    } finally {
      ws.close();
    }
    const me = (await admin.get("/api/me")).body.user.id;
    const self = await admin.patch(`/api/users/${me}`, { active: false });
    expect(self.status).toBe(409);
    expect(self.body.code).toBe("own_account");
  });

  it("profile: a new name, and a new password that needs the current one and ends the other sessions only", async () => {
    const inv = await invite("profile@test.local");
    const { c: here } = await accept(inv.link, "profile-password-1");
    const elsewhere = await ApiClient.login(p.url, "profile@test.local", "profile-password-1");
    const hereWs = await here.socket();
    const elsewhereWs = await elsewhere.socket();
    try {
      const named = await here.patch("/api/me", { name: "Pat Profile" });
      expect(named.status).toBe(200);
      expect(named.body.user.name).toBe("Pat Profile");

      const missing = await here.patch("/api/me", { newPassword: "profile-password-2" });
      expect(missing.status).toBe(400);
      expect(missing.body.issues[0].path).toBe("currentPassword");
      const wrong = await here.patch("/api/me", { currentPassword: "not-it-at-all", newPassword: "profile-password-2" });
      expect(wrong.status).toBe(400);
      expect(wrong.body.code).toBe("wrong_password");
      expect(elsewhereWs.socket.connected).toBe(true);

      const ok = await here.patch("/api/me", { currentPassword: "profile-password-1", newPassword: "profile-password-2" });
      expect(ok.status).toBe(200);
      await cutOff(elsewhereWs);
      expect((await elsewhere.get("/api/me")).status).toBe(401);
      expect((await here.get("/api/me")).status).toBe(200);
      expect(hereWs.socket.connected).toBe(true);
      await ApiClient.login(p.url, "profile@test.local", "profile-password-2");
    } finally {
      hereWs.close();
      elsewhereWs.close();
    }
  });

  it("sign out everywhere ends every session and socket of the user", async () => {
    const inv = await invite("everywhere@test.local");
    const { c: one } = await accept(inv.link, "everywhere-password-1");
    const two = await ApiClient.login(p.url, "everywhere@test.local", "everywhere-password-1");
    const ws = await two.socket();
    try {
      const res = await one.post("/api/auth/logout-everywhere");
      expect(res.status).toBe(200);
      expect(res.headers.get("set-cookie")).toMatch(/Max-Age=0/);
      await cutOff(ws);
      expect((await two.get("/api/me")).status).toBe(401);
      const stale = new ApiClient(p.url);
      stale.cookie = one.cookie;
      expect((await stale.get("/api/me")).status).toBe(401);
    } finally {
      ws.close();
    }
  });
});

/** Two server processes on one PostgreSQL and Redis: the change is made on one, the socket lives on the other. */
describe.runIf(scaled)("sockets are cut across server processes", () => {
  let a: TestParley;
  let b: TestParley;
  beforeAll(async () => {
    a = await startTestParley({ role: "server" });
    b = await startTestParley({ role: "server", storage: a.storage });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });

  it("a deactivation on server A closes the user's socket on server B", async () => {
    const admin = await ApiClient.login(a.url, ADMIN.email, ADMIN.password);
    const created = await admin.post("/api/users", { email: "far@test.local", name: "Far", role: "agent", password: "far-password-1" });
    const onB = await ApiClient.login(b.url, "far@test.local", "far-password-1");
    const ws = await onB.socket();
    try {
      await admin.patch(`/api/users/${created.body.user.id}`, { active: false });
      await cutOff(ws);
    } finally {
      ws.close();
    }
  });
});
