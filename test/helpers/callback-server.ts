import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { onRequest, type Recorded } from "../fakes/fake-http.js";

export type Received = Recorded;

/**
 * A source system's endpoint that receives Parley's replies. `respond` decides each answer, so a test
 * can make it fail for a while.
 */
export async function startCallbackServer(respond: (n: number, req: Received) => { status: number; body?: unknown } = () => ({ status: 200 })) {
  const received: Received[] = [];
  const server = createServer(
    onRequest((r, res) => {
      received.push(r);
      const answer = respond(received.length, r);
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(JSON.stringify(answer.body ?? {}));
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  return {
    url,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
