import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contacts, conversations } from "../server/db/schema.js";
import { appendLedger, refreshMetricSamples, type LedgerAppend } from "../server/domain/ledger.js";
import { computeSamples, type LedgerEntry } from "../server/reports/metric-samples.js";
import { ApiClient, createApiChannel, customerEvent, postWebhook } from "./helpers/client.js";
import { ADMIN, startTestParley, waitFor, type TestParley } from "./helpers/parley.js";

const T0 = Date.parse("2026-03-02T09:00:00Z");
const at = (s: number) => new Date(T0 + s * 1000);
const AGENT = "11111111-1111-4111-8111-111111111111";

type Step = [seconds: number, type: string, actor: LedgerEntry["actor"], data?: Record<string, unknown>];
const msg = (visibility: "public" | "private" | "note" = "public") => ({ direction: "x", visibility });

/** Hand-off from the bot, a bot reply while a human owns it, notes, a resolution and a reopen. */
const handoffTimeline: Step[] = [
  [0, "conversation.created", "customer", { owner: "bot" }],
  [0, "message.created", "customer", msg("private")],
  [5, "message.created", "bot", msg("private")],
  [60, "message.created", "customer", msg("private")],
  [61, "handed_off", "bot", { reason: "customer_request" }],
  [61, "message.created", "system", msg("note")],
  [181, "message.created", "agent", msg("private")], // FRT 120, from the hand-off
  [300, "message.created", "customer", msg("private")],
  [310, "message.created", "bot", msg("private")], // does not stop the human clock
  [400, "message.created", "agent", msg("private")], // reply 100
  [410, "message.created", "agent", msg("note")],
  [500, "resolved", "agent"], // resolution 500
  [1000, "reopened", "customer"],
  [1000, "message.created", "customer", msg("private")],
  [1030, "message.created", "agent", msg("private")], // FRT 30, from the reopen
  [1100, "resolved", "agent"], // resolution 100, from the reopen
];

/** No bot: the wait starts at creation; a second agent message in a row is no reply. */
const humanTimeline: Step[] = [
  [0, "conversation.created", "customer", { owner: "human" }],
  [0, "message.created", "customer", msg()],
  [10, "message.created", "customer", msg()],
  [20, "message.created", "agent", msg("note")],
  [50, "message.created", "agent", msg()], // FRT 50
  [60, "message.created", "agent", msg()], // nothing waiting: no sample
  [100, "message.created", "customer", msg()],
  [130, "message.created", "customer", msg()],
  [190, "message.created", "agent", msg()], // reply 90, from the first unanswered message
];

/** Contained by the bot: no human wait, so no first response. */
const botTimeline: Step[] = [
  [0, "conversation.created", "customer", { owner: "bot" }],
  [0, "message.created", "customer", msg()],
  [2, "message.created", "bot", msg()],
  [20, "resolved", "bot"], // resolution 20
];

const toLedger = (steps: Step[]): LedgerEntry[] =>
  steps.map(([s, type, actor, data]) => ({ type, actor, actorUserId: actor === "agent" ? AGENT : null, data: data ?? {}, at: at(s) }));

const values = (steps: Step[], metric: string) => computeSamples(toLedger(steps)).filter((x) => x.metric === metric).map((x) => x.seconds);

describe("metric definitions on scripted timelines", () => {
  it("first response is measured from the hand-off, then from the reopen; bot replies and notes never count", () => {
    expect(values(handoffTimeline, "first_response")).toEqual([120, 30]);
    expect(values(handoffTimeline, "reply")).toEqual([100]);
    expect(values(handoffTimeline, "resolution")).toEqual([500, 100]);
  });

  it("without a bot the wait starts at creation, and reply time runs from the first unanswered message", () => {
    expect(values(humanTimeline, "first_response")).toEqual([50]);
    expect(values(humanTimeline, "reply")).toEqual([90]);
    expect(values(humanTimeline, "resolution")).toEqual([]);
  });

  it("a conversation the bot resolved has a resolution time and no first response", () => {
    expect(values(botTimeline, "first_response")).toEqual([]);
    expect(values(botTimeline, "resolution")).toEqual([20]);
  });

  it("credits each response to the agent who replied", () => {
    const samples = computeSamples(toLedger(handoffTimeline));
    expect(samples.filter((x) => x.metric !== "resolution").every((x) => x.agentId === AGENT)).toBe(true);
  });
});

describe("the response-time report", () => {
  let p: TestParley;
  let admin: ApiClient;

  beforeAll(async () => {
    p = await startTestParley();
    admin = await ApiClient.login(p.url, ADMIN.email, ADMIN.password);
  });
  afterAll(() => p?.stop());

  it("aggregates count, mean, median and p90 over the ledger, by period and channel", async () => {
    const me = (await admin.get("/api/me")).body;
    const channel = await createApiChannel(admin, { name: "Scripted" });
    const [contact] = await p.ctx.db.insert(contacts).values({ workspaceId: me.workspace.id, name: "Scripted customer" }).returning();
    let n = 0;
    for (const steps of [handoffTimeline, humanTimeline, botTimeline]) {
      const [conv] = await p.ctx.db
        .insert(conversations)
        .values({ workspaceId: me.workspace.id, channelId: channel.id, contactId: contact!.id, kind: "dm", threadKey: `scripted-${n++}`, owner: "human", createdAt: at(0) })
        .returning();
      const rows: LedgerAppend[] = steps.map(([s, type, actor, data]) => ({
        workspaceId: conv!.workspaceId,
        conversationId: conv!.id,
        type: type as LedgerAppend["type"],
        actor,
        actorUserId: actor === "agent" ? me.user.id : null,
        data: data ?? {},
        at: at(s),
      }));
      await appendLedger(p.ctx.db, rows);
      await refreshMetricSamples(p.ctx.db, conv!);
    }
    const q = `from=2026-03-02&to=2026-03-03&channelId=${channel.id}`;
    const report = await admin.get(`/api/reports/response-times?${q}`);
    expect(report.status).toBe(200);
    // FRT [120, 30, 50]; reply [100, 90]; resolution [500, 100, 20]. p90 interpolates: for three values
    // sorted a<b<c it is b + 0.8 (c - b).
    expect(report.body.firstResponseTime).toEqual({ count: 3, mean: 66.667, median: 50, p90: 106 });
    expect(report.body.replyTime).toEqual({ count: 2, mean: 95, median: 95, p90: 99 });
    expect(report.body.resolutionTime).toEqual({ count: 3, mean: 206.667, median: 100, p90: 420 });

    // Only samples recorded inside the period count: the morning alone holds the first resolution and
    // the first responses, not the reopen's.
    const early = await admin.get(`/api/reports/response-times?from=2026-03-02T09:00:00Z&to=2026-03-02T09:10:00Z&channelId=${channel.id}`);
    expect(early.body.firstResponseTime).toMatchObject({ count: 2, median: 85 });
    expect(early.body.resolutionTime).toMatchObject({ count: 2, mean: 260 });
    const other = await admin.get(`/api/reports/response-times?from=2026-03-03&to=2026-03-04&channelId=${channel.id}`);
    expect(other.body.firstResponseTime).toEqual({ count: 0, mean: null, median: null, p90: null });
  });

  it("measures a live conversation from the webhook to the agent's reply", async () => {
    const channel = await createApiChannel(admin, { name: "Live" });
    await postWebhook(p.url, channel.id, channel.secret, customerEvent("m-1", "hello?"));
    const conv = await waitFor(async () => (await admin.get(`/api/conversations?channelId=${channel.id}`)).body.items[0], "conversation");
    await new Promise((r) => setTimeout(r, 1100));
    await admin.post(`/api/conversations/${conv.id}/messages`, { text: "note first", visibility: "note" });
    await admin.post(`/api/conversations/${conv.id}/messages`, { text: "hi!" });
    await admin.patch(`/api/conversations/${conv.id}`, { status: "resolved" });
    const report = (await admin.get(`/api/reports/response-times?channelId=${channel.id}`)).body;
    expect(report.firstResponseTime.count).toBe(1);
    expect(report.firstResponseTime.mean).toBeGreaterThanOrEqual(1.1);
    expect(report.firstResponseTime.mean).toBeLessThan(5);
    expect(report.resolutionTime.count).toBe(1);
    expect(report.replyTime.count).toBe(0);
  });

  it("answers 400 for an invalid period", async () => {
    expect((await admin.get("/api/reports/response-times?from=yesterday")).status).toBe(400);
    const inverted = await admin.get("/api/reports/response-times?from=2026-03-03&to=2026-03-02");
    expect(inverted).toMatchObject({ status: 400, body: { error: "from must be before to" } });
  });
});
