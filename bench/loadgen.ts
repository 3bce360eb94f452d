import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";

/**
 * A small closed-loop HTTP load generator: `concurrency` keep-alive connections, each sending its
 * next request as soon as the previous answer is read, until `maxRequests` were sent or
 * `durationMs` passed. Every request is a distinct signed API-channel event.
 */
export type LoadSpec = {
  /** Full address to POST to, e.g. http://127.0.0.1:1234/webhooks/api/<channelId>. */
  url: string;
  /** HMAC key for X-Parley-Signature (the bare ceiling endpoint ignores it, but the work is the same). */
  secret: string;
  /** Makes event and message ids unique across runs. */
  runId: string;
  /** How many distinct contacts the events rotate over. */
  contacts: number;
  concurrency: number;
  durationMs: number;
  maxRequests: number;
  /** Paced: request i is not sent before i / ratePerSecond s after the start (open loop while a connection is free). */
  ratePerSecond?: number;
};

export type LoadResult = {
  sent: number;
  accepted: number;
  /** Answers other than 200 "accepted", by status (0: connection error). */
  others: Record<string, number>;
  firstProblem: string | null;
  elapsedMs: number;
  /** When the load started, in ms since the epoch with sub-ms precision (performance.timeOrigin + now). */
  startedAt: number;
  /** Latency of each accepted request, in ms, in completion order. */
  latenciesMs: number[];
  /** CPU time of the load generator's own thread (Linux), so that it can be told apart from the server's. */
  cpuSeconds: number | null;
};

/** CPU seconds used so far by the calling thread, from /proc/thread-self/stat (Linux only). */
export function threadCpuSeconds(): number | null {
  try {
    const line = readFileSync("/proc/thread-self/stat", "utf8");
    const f = line.slice(line.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}

const TEXT = "Hello, my order has not arrived yet and the tracking page says nothing since Monday. Could you check it please?";

/** The raw body of event `i` of a run (about 300 bytes), as a source system would send it. */
export function eventBody(runId: string, i: number, contacts: number): { body: string; messageId: string } {
  const contact = `bench-contact-${i % contacts}`;
  const messageId = `bench-${runId}-msg-${i}`;
  const body = JSON.stringify({
    eventId: `bench-${runId}-evt-${i}`,
    contact: { externalId: contact, name: `Bench customer ${i % contacts}` },
    message: { externalId: messageId, text: `#${i} ${TEXT}` },
  });
  return { body, messageId };
}

export const signature = (secret: string, body: string) => "sha256=" + createHmac("sha256", secret).update(body).digest("hex");

/**
 * Keep-alive connections, at most `maxSockets`. `timeout` matters: only with it does Node's agent
 * honour the server's `Keep-Alive: timeout=N` answer header and drop an idle connection a second
 * before the server would close it. Without it, an idle connection is kept forever, and a request
 * sent on one just as the server closes it ends in ECONNRESET (seen under load at 500/s).
 */
export const keepAliveAgent = (maxSockets: number) =>
  new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, timeout: 30_000 });

/** One POST over the given agent; resolves with the status, the answer's text and the elapsed ms. */
export function post(agent: http.Agent, url: URL, body: string, headers: Record<string, string>): Promise<{ status: number; text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(
      {
        agent,
        method: "POST",
        hostname: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), ms: performance.now() - t0 }));
        res.on("error", reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error("no answer within 30 s")));
    req.on("error", reject);
    req.end(body);
  });
}

const isAccepted = (status: number, text: string) => status === 200 && text.includes('"status":"accepted"');

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  const agent = keepAliveAgent(spec.concurrency);
  const latenciesMs: number[] = [];
  const others: Record<string, number> = {};
  let firstProblem: string | null = null;
  let next = 0;
  let sent = 0;
  const cpu0 = threadCpuSeconds();
  const start = performance.now();
  const deadline = start + spec.durationMs;

  const loop = async () => {
    while (next < spec.maxRequests && performance.now() < deadline) {
      const i = next++;
      if (spec.ratePerSecond) {
        const wait = start + (i * 1000) / spec.ratePerSecond - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      const { body } = eventBody(spec.runId, i, spec.contacts);
      sent++;
      try {
        const res = await post(agent, url, body, { "x-parley-signature": signature(spec.secret, body) });
        if (isAccepted(res.status, res.text)) {
          latenciesMs.push(res.ms);
        } else {
          others[res.status] = (others[res.status] ?? 0) + 1;
          firstProblem ??= `HTTP ${res.status}: ${res.text.slice(0, 200)}`;
        }
      } catch (err) {
        others["0"] = (others["0"] ?? 0) + 1;
        firstProblem ??= `request failed: ${(err as Error).message}`;
      }
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, loop));
  const elapsedMs = performance.now() - start;
  const cpu1 = threadCpuSeconds();
  agent.destroy();
  const cpuSeconds = cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null;
  return { sent, accepted: latenciesMs.length, others, firstProblem, elapsedMs, startedAt: performance.timeOrigin + start, latenciesMs, cpuSeconds };
}

/**
 * Starts the load generator in a worker thread, so that the client has its own event loop and does
 * not queue behind the server it measures (which runs on the bench's main thread). Resolves once
 * the thread is loaded; `run()` then starts the load, so that start-up is outside what is measured.
 */
export async function startLoadWorker(spec: LoadSpec): Promise<{ run(): Promise<LoadResult> }> {
  const worker = new Worker(new URL("./loadgen-worker.mjs", import.meta.url), { workerData: spec });
  let result: LoadResult | null = null;
  const finished = new Promise<LoadResult>((resolve, reject) => {
    worker.on("message", (m: { type: string; result?: LoadResult }) => {
      if (m.type === "result") result = m.result!;
    });
    worker.once("error", reject);
    worker.once("exit", (code) => (result ? resolve(result) : reject(new Error(`load generator thread exited with code ${code} and no result`))));
  });
  finished.catch(() => {}); // observed through run()
  await Promise.race([
    new Promise<void>((resolve) => worker.on("message", (m: { type: string }) => m.type === "ready" && resolve())),
    finished.then(() => {
      throw new Error("load generator thread ended before it was ready");
    }),
  ]);
  return {
    run() {
      worker.postMessage("go");
      return finished;
    },
  };
}

/** Starts a load generator thread and runs its load at once. */
export async function runLoadInWorker(spec: LoadSpec): Promise<LoadResult> {
  return (await startLoadWorker(spec)).run();
}
