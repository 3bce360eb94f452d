import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { loadConfig } from "../server/config.js";

describe("configuration", () => {
  it("defaults to the embedded mode on port 3000", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ mode: "embedded", PORT: 3000, DATA_DIR: "./data", PARLEY_DEMO: true, publicUrl: "http://localhost:3000" });
  });

  it("names the setting that is wrong", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => loadConfig({ PARLEY_DEMO: "maybe" })).toThrow(/PARLEY_DEMO/);
    expect(() => loadConfig({ DATABASE_URL: "mysql://x", REDIS_URL: "redis://x" })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => loadConfig({ DATABASE_URL: "postgres://x/y" })).toThrow(/DATABASE_URL, REDIS_URL/);
    expect(() => loadConfig({ DATABASE_URL: "postgres://x/y", REDIS_URL: "redis://x" })).toThrow(/PARLEY_SECRET_KEY/);
    expect(() => loadConfig({ PARLEY_SECRET_KEY: "short" })).toThrow(/PARLEY_SECRET_KEY: must be 64 hex/);
    expect(() => loadConfig({ PARLEY_ADMIN_PASSWORD: "short" })).toThrow(/PARLEY_ADMIN_PASSWORD/);
  });

  it("stops the process at start with the message, before touching any data", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "server/main.ts"], {
      env: { ...process.env, PORT: "-1", DATABASE_URL: "", REDIS_URL: "" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Invalid configuration:\s+PORT:/);
  });
});
