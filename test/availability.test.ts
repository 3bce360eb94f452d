import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sweepPresence } from "../server/domain/availability.js";
import { controllableClock } from "../server/infra/clock.js";
import { ApiClient } from "./helpers/client.js";
import { ADMIN, scaled, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";
import { addPerson, setAvailability, type Person } from "./helpers/people.js";

describe("availability and presence", () => {
  const clock = controllableClock(undefined, { frozen: true });
  let p: TestParley;
  let admin: ApiClient;
  let agent: Person;
  let other: Person;
  let supervisor: Person;

  const availabilityOf = async (person: Person) => ((await admin.get("/api/users")).body.items as any[]).find((u) => u.id === person.id).availability;

  beforeAll(async () => {
    p = await startTestParley({ clock, env: { PRESENCE_AWAY_AFTER_S: "300" } });
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    agent = await addPerson(admin, "Agent");
    other = await addPerson(admin, "Other");
    supervisor = await addPerson(admin, "Supervisor", "supervisor");
  });
  afterAll(() => p?.stop());

  it("a person sets their availability; supervisors see it change live, other agents are not told", async () => {
    const supWs = await supervisor.client.socket();
    const otherWs = await other.client.socket();
    try {
      expect((await agent.client.get("/api/me")).body.user.availability).toBe("offline");
      const res = await agent.client.put("/api/me/availability", { availability: "online" });
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ id: agent.id, availability: "online" });
      const pushed = await waitFor(async () => supWs.events.find((e) => e.name === "user.updated" && e.payload.user.id === agent.id), "push to supervisor");
      expect(pushed.payload.user).toMatchObject({ availability: "online", name: "Agent" });
      await new Promise((r) => setTimeout(r, 200));
      expect(otherWs.events.filter((e) => e.name === "user.updated")).toEqual([]);
      expect((await agent.client.put("/api/me/availability", { availability: "busy" })).status).toBe(400);
      // A supervisor can switch someone off who left without doing it.
      expect((await supervisor.client.put(`/api/users/${agent.id}/availability`, { availability: "offline" })).body.user.availability).toBe("offline");
      expect((await other.client.put(`/api/users/${agent.id}/availability`, { availability: "online" })).status).toBe(403);
    } finally {
      supWs.close();
      otherWs.close();
    }
  });

  it(`an online agent without an open console turns away after PRESENCE_AWAY_AFTER_S, and back online when a console opens`, async () => {
    await setAvailability(agent, "online");
    clock.advance(299_000);
    expect(await sweepPresence(p.ctx)).toBe(0);
    expect(await availabilityOf(agent)).toBe("online");
    clock.advance(2_000);
    expect(await sweepPresence(p.ctx)).toBe(1);
    expect(await availabilityOf(agent)).toBe("away");

    const ws = await agent.client.socket();
    try {
      await waitFor(async () => (await availabilityOf(agent)) === "online", "back online");
      // With a console open, time passing changes nothing.
      clock.advance(3_600_000);
      expect(await sweepPresence(p.ctx)).toBe(0);
      expect(await availabilityOf(agent)).toBe("online");
    } finally {
      ws.close();
    }
    // The console closed: the countdown starts from then.
    await new Promise((r) => setTimeout(r, 200));
    clock.advance(200_000);
    expect(await sweepPresence(p.ctx)).toBe(0);
    clock.advance(101_000);
    expect(await sweepPresence(p.ctx)).toBe(1);
    expect(await availabilityOf(agent)).toBe("away");
  });

  it("away by choice stays away when a console opens; offline people are left alone", async () => {
    await setAvailability(agent, "away");
    const ws = await agent.client.socket();
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(await availabilityOf(agent)).toBe("away");
    } finally {
      ws.close();
    }
    await setAvailability(other, "offline");
    clock.advance(3_600_000);
    expect(await sweepPresence(p.ctx)).toBe(0);
    expect(await availabilityOf(other)).toBe("offline");
  });

  it.runIf(scaled)("a console open on another server process counts (presence asks every server)", async () => {
    const second = await startTestParley({ storage: p.storage, clock, role: "server" });
    try {
      const there = new ApiClient(second.url);
      there.cookie = other.client.cookie;
      await setAvailability(other, "online");
      const ws = await there.socket();
      try {
        clock.advance(600_000);
        expect(await sweepPresence(p.ctx)).toBe(0);
        expect(await availabilityOf(other)).toBe("online");
      } finally {
        ws.close();
      }
      await new Promise((r) => setTimeout(r, 300));
      clock.advance(301_000);
      expect(await sweepPresence(p.ctx)).toBe(1);
      expect(await availabilityOf(other)).toBe("away");
    } finally {
      await second.stop();
    }
  });
});
