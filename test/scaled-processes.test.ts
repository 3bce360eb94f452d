import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { startCallbackServer } from "./helpers/callback-server.js";
import { ADMIN, freshStorage, scaled, waitFor, type Storage } from "./helpers/parley.js";

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** Separate `server` and `worker` processes sharing PostgreSQL and Redis, as docker compose runs them. */
describe.runIf(scaled)("scaled mode: two server processes and a worker", () => {
  let storage: Storage;
  const procs: Array<{ name: string; child: ChildProcess; output: string[] }> = [];
  const ports: number[] = [];
  let callback: Awaited<ReturnType<typeof startCallbackServer>>;

  const start = (name: string, role: "server" | "worker", port?: number) => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts", role], {
      env: {
        ...process.env,
        ...storage.env,
        PORT: String(port ?? 0),
        HOST: "127.0.0.1",
        PARLEY_DEMO: "0",
        PARLEY_ADMIN_EMAIL: ADMIN.email,
        PARLEY_ADMIN_PASSWORD: ADMIN.password,
        PUBLIC_URL: `http://localhost:${port ?? 3000}`,
        LOG_LEVEL: "info",
        // The callback server listens on 127.0.0.1.
        ALLOW_PRIVATE_TARGETS: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    child.stdout!.on("data", (d) => output.push(String(d)));
    child.stderr!.on("data", (d) => output.push(String(d)));
    procs.push({ name, child, output });
  };

  beforeAll(async () => {
    storage = freshStorage();
    callback = await startCallbackServer();
    ports.push(await freePort(), await freePort());
    start("server-a", "server", ports[0]);
    start("server-b", "server", ports[1]);
    start("worker", "worker");
    for (const port of ports) {
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.ok, `server on ${port}`, 45_000);
    }
    await waitFor(async () => procs[2]!.output.join("").includes("worker started"), "worker", 45_000);
  }, 90_000);

  afterAll(async () => {
    for (const p of procs) p.child.kill("SIGTERM");
    await Promise.all(procs.map((p) => (p.child.exitCode !== null ? null : new Promise((r) => p.child.once("exit", r)))));
    await callback?.close();
    await storage?.dispose();
  });

  it("a webhook on one server reaches a socket on the other; a reply sent through either is delivered by the worker", async () => {
    const a = `http://127.0.0.1:${ports[0]}`;
    const b = `http://127.0.0.1:${ports[1]}`;
    const adminA = await ApiClient.login(a, ADMIN.email, ADMIN.password);
    const channel = await createApiChannel(adminA, { callbackUrl: callback.url });
    const adminB = new ApiClient(b);
    adminB.cookie = adminA.cookie; // sessions live in PostgreSQL: any server accepts them
    const ws = await adminB.socket();
    try {
      expect((await postWebhook(a, channel.id, channel.secret, customerEvent("s-1", "hello from far away"))).status).toBe(200);
      const pushed = await waitFor(async () => ws.events.find((e) => e.name === "message.created"), "push on server b", 15_000);
      expect(pushed.payload.message.text).toBe("hello from far away");

      const reply = await adminB.post(`/api/conversations/${pushed.payload.message.conversationId}/messages`, { text: "answered via b" });
      expect(reply.status).toBe(201);
      await waitFor(async () => callback.received.find((r) => r.body.text === "answered via b"), "callback", 15_000);
      await waitFor(async () => ws.events.find((e) => e.name === "message.updated" && e.payload.message.status === "sent"), "sent status", 15_000);

      // What a person does on server a (a server process, not the worker) shows on server b's socket too.
      const fromA = await adminA.post(`/api/conversations/${pushed.payload.message.conversationId}/messages`, { text: "answered via a" });
      expect(fromA.status).toBe(201);
      await waitFor(async () => ws.events.find((e) => e.name === "message.created" && e.payload.message.text === "answered via a"), "push from server a", 15_000);
    } finally {
      ws.close();
    }
  });

  it("the worker runs below the servers' CPU priority, every thread of it, so that busy cores answer webhooks first", () => {
    // nice of each thread (Linux keeps one per thread), from /proc/<pid>/task/<tid>/stat.
    const nices = (pid: number) =>
      readdirSync(`/proc/${pid}/task`).map((tid) => Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ")[16]));
    expect(procs[2]!.output.join("")).toContain("worker priority lowered");
    const worker = nices(procs[2]!.child.pid!);
    expect(worker.length).toBeGreaterThan(1);
    const ours = os.getPriority(); // what the processes were started at (0 unless the suite runs under nice)
    expect(new Set(worker)).toEqual(new Set([Math.max(5, ours)])); // WORKER_NICE's default
    expect(new Set(nices(procs[0]!.child.pid!))).toEqual(new Set([ours]));
  });

  it("stops gracefully on SIGTERM", async () => {
    const worker = procs[2]!;
    worker.child.kill("SIGTERM");
    const code = await new Promise((r) => worker.child.once("exit", r));
    expect(code).toBe(0);
  });
});
