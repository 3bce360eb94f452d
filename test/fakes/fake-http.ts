import type { IncomingMessage, ServerResponse } from "node:http";

/** A request as a fake platform records it: the exact bytes, and the JSON they hold when they are JSON. */
export type Recorded = { method: string; path: string; headers: IncomingMessage["headers"]; raw: string; body: any };

/** Reads the whole body, then hands the recorded request over. */
export function onRequest(handle: (req: Recorded, res: ServerResponse) => void) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: any;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      handle({ method: req.method ?? "", path: (req.url ?? "").split("?")[0]!, headers: req.headers, raw, body }, res);
    });
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { ...(body === undefined ? {} : { "content-type": "application/json; charset=utf-8" }), ...headers });
  res.end(body === undefined ? "" : JSON.stringify(body));
}
