import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, createApiChannel, customerEvent, sign } from "./helpers/client.js";
import { ADMIN, startTestParley, type TestParley } from "./helpers/parley.js";
import { logCollector } from "./helpers/logs.js";

const METRICS_TOKEN = "a-metrics-token-for-the-accept-path-test";

// What a platform and an operator see of an accepted webhook: its answer, its request id in the
// logs, its metrics; and the answers to bodies that are refused before any route reads them.
describe("the webhook accept path, as a platform and an operator see it", () => {
  let p: TestParley;
  let channel: { id: string; secret: string };
  const logs = logCollector();

  beforeAll(async () => {
    p = await startTestParley({ env: { METRICS_TOKEN }, logs: logs.stream });
    const admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
    channel = await createApiChannel(admin);
  });
  afterAll(async () => p?.stop());

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${p.url}/webhooks/api/${channel.id}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-parley-signature": sign(channel.secret, body), ...headers },
      body,
    });
  const metricsText = async () => (await fetch(`${p.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const counted = (text: string, status: string) => Number(new RegExp(`parley_webhook_requests_total\\{platform="api",status="${status}"\\} (\\d+)`).exec(text)?.[1] ?? 0);

  it("answers an accepted delivery with JSON and its request id, logs the id without the text, and counts it", async () => {
    const before = counted(await metricsText(), "200");
    const event = customerEvent("accept-path-1", "a secret-looking customer sentence");
    const res = await post(JSON.stringify(event), { "x-request-id": "caller-id-123" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("x-request-id")).toBe("caller-id-123");
    expect(await res.json()).toEqual({ status: "accepted", eventId: event.eventId });

    const again = await post(JSON.stringify(event));
    expect(await again.json()).toEqual({ status: "duplicate", eventId: event.eventId });
    const generated = again.headers.get("x-request-id");
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);

    const answered = logs.text().split("\n").filter((l) => l.includes('"request answered"'));
    expect(answered.some((l) => l.includes('"reqId":"caller-id-123"') && l.includes(`"path":"/webhooks/api/${channel.id}"`) && l.includes('"status":200'))).toBe(true);
    expect(answered.some((l) => l.includes(`"reqId":"${generated}"`))).toBe(true);
    expect(logs.text()).not.toContain("secret-looking");

    const text = await metricsText();
    expect(counted(text, "200")).toBe(before + 2);
    expect(text).toMatch(/parley_http_request_duration_seconds_count\{method="POST",route="\/webhooks\/api\/:channelId",status="200"\} \d+/);
  });

  it("refuses what it cannot accept with the status a platform will not retry forever", async () => {
    const unknown = await fetch(`${p.url}/webhooks/api/00000000-0000-4000-8000-000000000000`, { method: "POST", body: "{}" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: "unknown channel" });

    const unsigned = await post(JSON.stringify(customerEvent("accept-path-2", "hi")), { "x-parley-signature": "sha256=00" });
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get("content-type")).toBe("application/json; charset=utf-8");

    expect((await post("{not json")).status).toBe(400);
    const wrongShape = await post(JSON.stringify({ eventId: "x" }));
    expect(wrongShape.status).toBe(400);
    expect((await wrongShape.json()).issues.length).toBeGreaterThan(0);

    const tooLarge = await post(JSON.stringify({ eventId: "big", pad: "x".repeat(4 * 1024 * 1024) }));
    expect(tooLarge.status).toBe(413);
    expect((await tooLarge.json()).code).toBe("payload_too_large");

    expect((await post(JSON.stringify(customerEvent("accept-path-3", "hi")), { "content-encoding": "x-unknown" })).status).toBe(415);
    expect(counted(await metricsText(), "401")).toBeGreaterThanOrEqual(1);
  });
});
