import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEEP_ALIVE_MS } from "../server/app.js";
import { ApiClient, createApiChannel, customerEvent, sign } from "./helpers/client.js";
import { ADMIN, startTestParley, type TestParley } from "./helpers/parley.js";

/** One POST on the agent's connections; the answer's status and headers. */
function post(agent: http.Agent, url: URL, body: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; socketReused: boolean }>((resolve, reject) => {
    const req = http.request(url, { agent, method: "POST", headers: { "content-type": "application/json", ...headers } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, socketReused: req.reusedSocket }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("keep-alive connections of webhook senders", () => {
  let parley: TestParley;
  let admin: ApiClient;
  beforeAll(async () => {
    parley = await startTestParley();
    admin = await ApiClient.login(parley.url, ADMIN.email, ADMIN.password);
  });
  afterAll(() => parley.stop());

  // Senders and proxies commonly reuse a connection idle for up to a minute; with Node's 5 s default
  // a request sent as the server closes the idle connection is reset (seen under load at 500/s).
  it("announces a keep-alive time over a minute, and answers further requests on the same connection", async () => {
    expect(KEEP_ALIVE_MS).toBeGreaterThan(60_000);
    const channel = await createApiChannel(admin);
    const url = new URL(`/webhooks/api/${channel.id}`, parley.url);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1, timeout: 120_000 });
    try {
      const answers = [];
      for (const n of [1, 2]) {
        const body = JSON.stringify(customerEvent("kept-alive-customer", `message ${n}`));
        answers.push(await post(agent, url, body, { "x-parley-signature": sign(channel.secret, body) }));
      }
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect(answers[0]!.headers.connection).toBe("keep-alive");
      expect(answers[0]!.headers["keep-alive"]).toBe(`timeout=${KEEP_ALIVE_MS / 1000}`);
      expect(answers[1]!.socketReused).toBe(true);
    } finally {
      agent.destroy();
    }
  });
});
