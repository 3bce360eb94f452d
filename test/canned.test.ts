import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fillCanned } from "../shared/schemas/canned.js";
import { ApiClient } from "./helpers/client.js";
import { ADMIN, startTestParley, type TestParley } from "./helpers/parley.js";
import { addPerson, type Person } from "./helpers/people.js";

describe("canned replies", () => {
  let p: TestParley;
  let admin: ApiClient;
  let sue: Person; // supervisor
  let ana: Person; // agent

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    sue = await addPerson(admin, "Sue Visor", "supervisor");
    ana = await addPerson(admin, "Ana Agent");
  });
  afterAll(() => p?.stop());

  it("admins and supervisors save replies the whole workspace can find by shortcut, title or text", async () => {
    const refund = await admin.post("/api/canned-responses", { shortcut: "Refund", title: "Refund policy", text: "Hi {{contact.first_name}}, refunds take 5 days. — {{agent.name}}" });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    // Shortcuts are stored as typed after the slash: lower case.
    expect(refund.body.cannedResponse).toMatchObject({ shortcut: "refund", title: "Refund policy" });
    const shipping = await sue.client.post("/api/canned-responses", { shortcut: "ship", title: "Shipping times", text: "Orders ship within 2 days; we refer you to the tracking link." });
    expect(shipping.status).toBe(201);
    expect(shipping.body.cannedResponse.createdBy).toBe(sue.id);

    const all = await ana.client.get("/api/canned-responses");
    expect(all.status).toBe(200);
    expect(all.body.items.map((r: any) => r.shortcut)).toEqual(["refund", "ship"]);
    // "/ref" offers the shortcut that starts with it first, then a reply whose text mentions "refer".
    const ref = await ana.client.get("/api/canned-responses?q=ref");
    expect(ref.body.items.map((r: any) => r.shortcut)).toEqual(["refund", "ship"]);
    expect((await ana.client.get("/api/canned-responses?q=shipping")).body.items.map((r: any) => r.shortcut)).toEqual(["ship"]);
    expect((await ana.client.get("/api/canned-responses?q=%25")).body.items).toEqual([]);
    expect((await ana.client.get("/api/canned-responses?q=nothing-like-this")).body.items).toEqual([]);
  });

  it("fills the variables of a saved reply when inserted, and leaves unknown ones for the agent to see", async () => {
    const [refund] = (await ana.client.get("/api/canned-responses?q=refund")).body.items;
    const filled = fillCanned(refund.text, { "contact.first_name": "Dana", "agent.name": "Ana Agent" });
    expect(filled).toBe("Hi Dana, refunds take 5 days. — Ana Agent");
    expect(fillCanned("Order {{order.id}} for {{ contact.name }}", { "contact.name": "Dana Example" })).toBe("Order {{order.id}} for Dana Example");
  });

  it("refuses a shortcut already taken (409 shortcut_taken), an invalid one (400), and agents' changes (403)", async () => {
    const dup = await sue.client.post("/api/canned-responses", { shortcut: "REFUND", title: "Another", text: "Other text" });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe("shortcut_taken");
    const bad = await admin.post("/api/canned-responses", { shortcut: "two words", title: "x", text: "y" });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("validation_failed");
    expect(bad.body.issues.map((i: any) => i.path)).toContain("shortcut");
    const empty = await admin.post("/api/canned-responses", { shortcut: "empty", title: "Empty", text: "   " });
    expect(empty.status).toBe(400);
    expect((await ana.client.post("/api/canned-responses", { shortcut: "mine", title: "Mine", text: "Mine" })).status).toBe(403);
    expect((await ana.client.get("/api/canned-responses?q=mine")).body.items).toEqual([]);
  });

  it("edits and deletes; renaming onto a taken shortcut is refused and changes nothing", async () => {
    const items = (await admin.get("/api/canned-responses")).body.items as any[];
    const ship = items.find((r) => r.shortcut === "ship");
    const clash = await admin.patch(`/api/canned-responses/${ship.id}`, { shortcut: "refund" });
    expect(clash.status).toBe(409);
    expect(clash.body.code).toBe("shortcut_taken");
    const renamed = await sue.client.patch(`/api/canned-responses/${ship.id}`, { shortcut: "shipping", text: "Orders ship within 48 hours." });
    expect(renamed.status).toBe(200);
    expect(renamed.body.cannedResponse).toMatchObject({ shortcut: "shipping", title: "Shipping times", text: "Orders ship within 48 hours." });
    expect((await admin.patch(`/api/canned-responses/${ship.id}`, {})).status).toBe(400);
    expect((await ana.client.patch(`/api/canned-responses/${ship.id}`, { title: "Agent edit" })).status).toBe(403);

    expect((await ana.client.request("DELETE", `/api/canned-responses/${ship.id}`)).status).toBe(403);
    expect((await admin.request("DELETE", `/api/canned-responses/${ship.id}`)).status).toBe(200);
    expect((await admin.request("DELETE", `/api/canned-responses/${ship.id}`)).status).toBe(404);
    expect((await ana.client.get("/api/canned-responses")).body.items.map((r: any) => r.shortcut)).toEqual(["refund"]);
    // The freed shortcut can be used again.
    expect((await admin.post("/api/canned-responses", { shortcut: "ship", title: "Again", text: "Again" })).status).toBe(201);
  });
});
