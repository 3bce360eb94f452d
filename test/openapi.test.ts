import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestParley, type TestParley } from "./helpers/parley.js";

describe("GET /api/openapi.json", () => {
  let p: TestParley;
  beforeAll(async () => {
    p = await startTestParley();
  });
  afterAll(() => p?.stop());

  it("documents every route with the schemas that validate it", async () => {
    const doc = await (await fetch(`${p.url}/api/openapi.json`)).json();
    expect(doc.openapi).toMatch(/^3\./);
    const ops = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, m]) => Object.keys(m).map((verb) => `${verb.toUpperCase()} ${path}`));
    expect(ops).toEqual(
      expect.arrayContaining([
        "GET /api/health",
        "POST /api/auth/login",
        "GET /api/conversations",
        "PATCH /api/conversations/{id}",
        "POST /api/conversations/{id}/messages",
        "POST /api/channels",
        "PUT /api/channels/{id}/bot",
        "GET /api/reports/response-times",
        "POST /webhooks/api/{channelId}",
      ]),
    );
    const create = doc.paths["/api/conversations/{id}/messages"].post;
    expect(create.requestBody.content["application/json"].schema.properties.visibility.enum).toEqual(["public", "private", "note"]);
    expect(create.responses["201"]).toBeDefined();
    const list = doc.paths["/api/conversations"].get;
    expect(list.parameters.map((x: any) => x.name)).toEqual(expect.arrayContaining(["status", "channelId", "owner", "assigneeId", "limit", "cursor"]));
  });

  it("answers unknown API paths with 404 in JSON and health with ok", async () => {
    const res = await fetch(`${p.url}/api/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: expect.stringContaining("/api/nope") });
    expect(await (await fetch(`${p.url}/api/health`)).json()).toMatchObject({ status: "ok" });
  });
});
