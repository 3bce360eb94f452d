import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "./helpers/client.js";
import { ADMIN, startTestParley, type TestParley } from "./helpers/parley.js";

/** Logins from a given client address, as a TLS-terminating proxy in front of Parley reports it. */
const loginFrom = (p: TestParley, ip: string, email: string, password: string, headers: Record<string, string> = {}) =>
  new ApiClient(p.url).request("POST", "/api/auth/login", { email, password }, { "x-forwarded-for": ip, ...headers });

describe("login limits and cookies behind a proxy", () => {
  let p: TestParley;
  beforeAll(async () => {
    p = await startTestParley({ env: { TRUST_PROXY: "1", LOGIN_MAX_ATTEMPTS: "3", LOGIN_IP_MAX_ATTEMPTS: "8" } });
  });
  afterAll(async () => p?.stop());

  it("wrong passwords from one place do not lock the real user out from theirs", async () => {
    for (let i = 0; i < 3; i++) expect((await loginFrom(p, "203.0.113.7", ADMIN.email, "wrong-password")).status).toBe(401);
    const blocked = await loginFrom(p, "203.0.113.7", ADMIN.email, ADMIN.password);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    // The real user, elsewhere, still gets in.
    expect((await loginFrom(p, "198.51.100.20", ADMIN.email, ADMIN.password)).status).toBe(200);
  });

  it("one address guessing many accounts hits the per-address limit", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await loginFrom(p, "203.0.113.50", `user${i}@test.local`, "guess")).status);
    expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(8)).toEqual([429, 429]);
    expect((await loginFrom(p, "203.0.113.50", ADMIN.email, ADMIN.password)).status).toBe(429);
    expect((await loginFrom(p, "203.0.113.51", ADMIN.email, ADMIN.password)).status).toBe(200);
  });

  it("parallel guesses are counted atomically", async () => {
    const all = await Promise.all(Array.from({ length: 12 }, () => loginFrom(p, "203.0.113.90", ADMIN.email, "parallel-guess")));
    expect(all.filter((r) => r.status === 401)).toHaveLength(3);
  });

  it("the session cookie is Secure when the proxy says the client used https", async () => {
    const tls = await loginFrom(p, "192.0.2.10", ADMIN.email, ADMIN.password, { "x-forwarded-proto": "https" });
    expect(tls.headers.get("set-cookie")).toMatch(/; Secure/);
    const plain = await loginFrom(p, "192.0.2.10", ADMIN.email, ADMIN.password);
    expect(plain.headers.get("set-cookie")).not.toMatch(/Secure/);
  });
});

describe("without TRUST_PROXY", () => {
  let p: TestParley;
  beforeAll(async () => {
    p = await startTestParley();
  });
  afterAll(async () => p?.stop());

  it("a client cannot claim https (or another address) with forwarded headers", async () => {
    const res = await loginFrom(p, "203.0.113.7", ADMIN.email, ADMIN.password, { "x-forwarded-proto": "https" });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).not.toMatch(/Secure/);
  });
});
