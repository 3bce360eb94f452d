import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local Trustpilot (docs/platform-contracts.md §8, §10.4): GET /v1/reviews/{id} and
 * POST /v1/private/reviews/{id}/reply → 201, strict about the Bearer token and the body; and a webhook
 * sender that POSTs {"events":[…]} to the channel's secret URL.
 */

import { onRequest, sendJson, type Recorded } from "./fake-http.js";

export type Call = Recorded;
export type Canned = { status: number; body?: unknown; headers?: Record<string, string> };

/** The review GET's answer for a webhook's eventData: the API uses consumer.displayName. */
export function reviewFromEvent(eventData: any, businessUnitId: string) {
  return {
    id: eventData.id,
    consumer: { id: eventData.consumer?.id, displayName: eventData.consumer?.name },
    businessUnit: { id: businessUnitId },
    stars: eventData.stars,
    title: eventData.title,
    text: eventData.text,
    language: eventData.language,
    referenceId: eventData.referenceId,
    createdAt: eventData.createdAt,
    updatedAt: eventData.updatedAt ?? null,
    isVerified: eventData.isVerified,
    companyReply: null as null | { text: string; authorBusinessUserId: string; createdAt: string; updatedAt: string | null },
  };
}

export async function startTrustpilotFake(opts: { accessToken: string; port?: number }) {
  const reviews = new Map<string, ReturnType<typeof reviewFromEvent>>();
  const calls: Call[] = [];
  const failures: { get: Canned[]; reply: Canned[] } = { get: [], reply: [] };

  const server = createServer(
    onRequest((call, res) => {
      const { path, body, method, headers } = call;
      calls.push(call);
      if (headers.authorization !== `Bearer ${opts.accessToken}`) {
        return sendJson(res, 401, { message: "Unauthorized", errorCode: 401 });
      }
      const get = /^\/v1\/reviews\/([^/]+)$/.exec(path);
      const reply = /^\/v1\/private\/reviews\/([^/]+)\/reply$/.exec(path);
      if (method === "GET" && get) {
        const canned = failures.get.shift();
        if (canned) return sendJson(res, canned.status, canned.body, canned.headers);
        const review = reviews.get(get[1]!);
        return review ? sendJson(res, 200, review) : sendJson(res, 404, { message: "Review not found" });
      }
      if (method === "POST" && reply) {
        const canned = failures.reply.shift();
        if (canned) return sendJson(res, canned.status, canned.body, canned.headers);
        const keys = body && typeof body === "object" ? Object.keys(body).sort().join(",") : "";
        const okShape =
          /^application\/json/.test(headers["content-type"] ?? "") &&
          keys === "authorBusinessUserId,message" && typeof body.message === "string" && body.message && typeof body.authorBusinessUserId === "string";
        if (!okShape) return sendJson(res, 400, { message: 'Expected {"message", "authorBusinessUserId"}' });
        const review = reviews.get(reply[1]!);
        if (!review) return sendJson(res, 404, { message: "Review not found" });
        const now = new Date().toISOString();
        review.companyReply = { text: body.message, authorBusinessUserId: body.authorBusinessUserId, createdAt: review.companyReply?.createdAt ?? now, updatedAt: now };
        return sendJson(res, 201, undefined);
      }
      return sendJson(res, 404, { message: `no route ${method} ${path}` });
    }),
  );
  // port 0 (the default) picks a free port; a fixed one (npm run simulate) fails with EADDRINUSE when taken.
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(opts.port ?? 0, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    calls,
    reviews,
    failures,
    setReview(review: ReturnType<typeof reviewFromEvent>) {
      reviews.set(review.id, structuredClone(review));
    },
    /** POSTs a webhook body (exact bytes when a string) to Parley's secret URL, as Trustpilot does. */
    async sendWebhook(target: string, body: string | { events: unknown[] }) {
      const res = await fetch(target, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json().catch(() => null)) as any };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type TrustpilotFake = Awaited<ReturnType<typeof startTrustpilotFake>>;
