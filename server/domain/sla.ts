import { and, asc, eq, gt, isNull, lte, or } from "drizzle-orm";
import type { BusinessHours } from "../../shared/schemas/teams.js";
import type { SlaMetric } from "../../shared/schemas/sla.js";
import { connectorFor } from "../connectors/registry.js";
import type { Executor, Tx } from "../db/client.js";
import { channels, conversations, slaTargets, teams, workspaceBusinessHours } from "../db/schema.js";
import type { DomainEvent } from "../infra/event-bus.js";
import { alwaysOpen, deadline } from "./business-hours.js";
import { appendLedger, loadLedgersAfter, type LoggedEntry } from "./ledger.js";
import { rowOf, runStatement, statement } from "../db/raw.js";
import { listPolicies, matchPolicy } from "./sla-policies.js";
import { type Completed, replaySla, resumable, type Running } from "./sla-clocks.js";

type ConversationRow = typeof conversations.$inferSelect;
type TargetRow = typeof slaTargets.$inferSelect;

/** Warnings come at 80 % of a target's time (of business time, for a business-hours policy). */
export const WARN_FRACTION = 0.8;
const HOUR = 3600;

type Desired = { metric: SlaMetric; start: Date; policyId: string | null; businessHours: boolean; dueAt: Date; warnAt: Date };

/** The business hours that apply to a team's conversations: its own, else the workspace's, else always open. */
export async function calendarFor(db: Executor, workspaceId: string, teamId: string | null): Promise<BusinessHours> {
  if (teamId) {
    const [team] = await db.select({ hours: teams.businessHours }).from(teams).where(and(eq(teams.id, teamId), eq(teams.workspaceId, workspaceId)));
    if (team?.hours) return team.hours;
  }
  const [ws] = await db.select({ hours: workspaceBusinessHours.businessHours }).from(workspaceBusinessHours).where(eq(workspaceBusinessHours.workspaceId, workspaceId));
  return ws?.hours ?? alwaysOpen;
}

/**
 * What a caller applying many conversations at once (batch ingest) has read already, so refreshSla
 * need not read it per conversation: the conversation's unfinished or breached targets, its
 * workspace's policies, its channel's platform. Each is optional; what is absent is read as usual.
 */
export type SlaPreload = {
  targets?: TargetRow[];
  policies?: Awaited<ReturnType<typeof listPolicies>>;
  platform?: (typeof channels.$inferSelect)["platform"];
  /** The caller writes `conv.slaReplay` in an UPDATE of its own (batch ingest writes every conversation at once). */
  writesReplay?: boolean;
};

async function desiredClocks(tx: Executor, conv: ConversationRow, running: Running[], pre: SlaPreload = {}): Promise<Desired[]> {
  const out: Desired[] = [];
  const policy = running.some((r) => r.metric !== "reply_window")
    ? matchPolicy(pre.policies ?? (await listPolicies(tx, conv.workspaceId)), { channelId: conv.channelId, kind: conv.kind, priority: conv.priority, teamId: conv.teamId })
    : null;
  const calendar = policy?.businessHours ? await calendarFor(tx, conv.workspaceId, conv.teamId) : null;
  for (const r of running) {
    if (r.metric === "reply_window") {
      if (conv.kind !== "dm" || !r.lastCustomerAt) continue;
      const platform = pre.platform ?? (await tx.select({ platform: channels.platform }).from(channels).where(eq(channels.id, conv.channelId)))[0]?.platform;
      const hours = platform ? connectorFor(platform).capabilities.replyWindowHours : null;
      if (!hours) continue;
      // The platform's window counts calendar time from the customer's latest message.
      const from = r.lastCustomerAt.getTime();
      out.push({ metric: r.metric, start: r.start, policyId: null, businessHours: false, dueAt: new Date(from + hours * HOUR * 1000), warnAt: new Date(from + WARN_FRACTION * hours * HOUR * 1000) });
      continue;
    }
    const seconds = !policy
      ? null
      : r.metric === "first_response"
        ? policy.firstResponseSeconds
        : r.metric === "next_response"
          ? policy.nextResponseSeconds
          : policy.resolutionSeconds;
    if (!policy || !seconds) continue;
    out.push({
      metric: r.metric,
      start: r.start,
      policyId: policy.id,
      businessHours: policy.businessHours,
      dueAt: deadline(r.start, seconds, calendar),
      warnAt: deadline(r.start, seconds * WARN_FRACTION, calendar),
    });
  }
  return out;
}

const same = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

function breachedEvent(conv: ConversationRow, t: Pick<TargetRow, "metric" | "dueAt">): DomainEvent {
  return { type: "sla.breached", workspaceId: conv.workspaceId, conversationId: conv.id, metric: t.metric, dueAt: t.dueAt.toISOString(), assigneeId: conv.assigneeId, teamId: conv.teamId };
}

/**
 * Ends an open target: met or breached by the awaited event, or no longer applying (cancelled, or a
 * breach if its deadline had already passed unseen).
 */
async function closeTarget(tx: Tx, events: DomainEvent[], conv: ConversationRow, t: TargetRow, done: Completed | undefined, now: Date) {
  if (t.status === "breached") {
    await tx
      .update(slaTargets)
      .set(done ? { doneAt: done.end, endedAt: done.end, agentId: done.agentId ?? t.agentId } : { endedAt: now })
      .where(eq(slaTargets.id, t.id));
    return;
  }
  if (done && done.end.getTime() <= t.dueAt.getTime()) {
    await tx.update(slaTargets).set({ status: "met", doneAt: done.end, endedAt: done.end, outcomeAt: done.end, agentId: done.agentId }).where(eq(slaTargets.id, t.id));
    return;
  }
  if (done || now.getTime() > t.dueAt.getTime()) {
    // Past its deadline before the timer fired: the breach is recorded now, at its due time.
    await tx
      .update(slaTargets)
      .set({ status: "breached", breachedAt: t.dueAt, outcomeAt: t.dueAt, doneAt: done?.end ?? null, endedAt: done?.end ?? now, agentId: done?.agentId ?? conv.assigneeId })
      .where(eq(slaTargets.id, t.id));
    await appendLedger(tx, [{ workspaceId: conv.workspaceId, conversationId: conv.id, type: "sla_breached", actor: "system", data: { metric: t.metric, policyId: t.policyId, dueAt: t.dueAt.toISOString() }, at: now }]);
    events.push(breachedEvent(conv, t));
    return;
  }
  await tx.update(slaTargets).set({ status: "cancelled", endedAt: now }).where(eq(slaTargets.id, t.id));
}

/** The conversation's headline deadline: the earliest open one (a breached one first, as it is due already). */
async function syncHeadline(tx: Tx, conv: ConversationRow): Promise<boolean> {
  const [first] = await tx
    .select()
    .from(slaTargets)
    .where(and(eq(slaTargets.conversationId, conv.id), isNull(slaTargets.endedAt)))
    .orderBy(asc(slaTargets.dueAt))
    .limit(1);
  const next = { slaPolicyId: first?.policyId ?? null, slaMetric: first?.metric ?? null, slaDueAt: first?.dueAt ?? null, slaBreachedAt: first?.breachedAt ?? null };
  if (conv.slaPolicyId === next.slaPolicyId && conv.slaMetric === next.slaMetric && same(conv.slaDueAt, next.slaDueAt) && same(conv.slaBreachedAt, next.slaBreachedAt)) return false;
  await tx.update(conversations).set(next).where(eq(conversations.id, conv.id));
  Object.assign(conv, next);
  return true;
}

/** The targets refreshSla works on: unfinished ones, and breached ones (a breached wait is never measured twice). */
export const slaTargetsKept = or(isNull(slaTargets.endedAt), eq(slaTargets.status, "breached"));

/** The kept targets (slaTargetsKept) of many conversations in one fixed statement: set-based ingest reads them on every batch. */
export async function keptTargetsOf(tx: Executor, conversationIds: string[]): Promise<TargetRow[]> {
  return (await runStatement<Record<string, unknown>>(tx, readKeptTargets, [conversationIds])).map((r) => targetRow.read(r));
}
const targetRow = rowOf(slaTargets);
const readKeptTargets = statement(
  "sla_kept_targets",
  `select ${targetRow.list} from sla_targets where conversation_id = any($1::uuid[]) and (ended_at is null or status = 'breached')`,
);

/** Whether refreshSla has anything to do for the conversation (else its ledger need not be read). */
export const slaMayRun = (conv: Pick<ConversationRow, "owner" | "slaDueAt">) => !(conv.owner === "bot" && !conv.slaDueAt);

/**
 * The ledger entries refreshSla needs for a conversation: those after its stored replay state (the
 * whole ledger when it has none), in one read for many conversations.
 */
export function slaLedgers(tx: Executor, convs: Array<Pick<ConversationRow, "id" | "slaReplay">>): Promise<Map<string, LoggedEntry[]>> {
  return loadLedgersAfter(
    tx,
    convs.map((c) => ({ id: c.id, after: resumable(c.slaReplay)?.upTo ?? 0 })),
  );
}

/**
 * Brings a locked conversation's SLA clocks up to date with its ledger, policies and platform window,
 * in the caller's transaction: starts, moves, meets, breaches or cancels targets, keeps the
 * conversation's sla_* columns on the nearest open deadline, and asks for timers after commit.
 * `ledger` is the whole ledger, or what follows the conversation's stored replay state (slaLedgers):
 * the replay resumes from that state and stores where it stopped.
 *
 * Resuming relies on one rule: entries that move the clocks are appended only while the conversation
 * is locked, so none can commit later with a smaller id than an entry already replayed.
 * Returns whether the headline deadline changed.
 */
export async function refreshSla(tx: Tx, events: DomainEvent[], conv: ConversationRow, ledger: LoggedEntry[], now: Date, pre: SlaPreload = {}): Promise<boolean> {
  // A bot-owned conversation without an open deadline has nothing to measure (the common bot case: no queries).
  if (!slaMayRun(conv)) return false;
  const from = resumable(conv.slaReplay);
  const { completed, running, state } = replaySla(ledger, from);
  if (!from || state.upTo !== from.upTo) {
    conv.slaReplay = state;
    if (!pre.writesReplay) await tx.update(conversations).set({ slaReplay: state }).where(eq(conversations.id, conv.id));
  }
  const rows = pre.targets ?? (await tx.select().from(slaTargets).where(and(eq(slaTargets.conversationId, conv.id), slaTargetsKept)));
  const open = rows.filter((r) => !r.endedAt);
  if (running.length === 0 && open.length === 0) return conv.slaDueAt ? syncHeadline(tx, conv) : false;

  const desired = running.length ? await desiredClocks(tx, conv, running, pre) : [];
  if (desired.length === 0 && open.length === 0) return conv.slaDueAt ? syncHeadline(tx, conv) : false;
  const timer = (t: { metric: SlaMetric; kind: "warning" | "breach"; at: Date }) =>
    events.push({ type: "sla.timer", workspaceId: conv.workspaceId, conversationId: conv.id, metric: t.metric, kind: t.kind, at: t.at.toISOString() });

  for (const t of open) {
    const want = desired.find((d) => d.metric === t.metric);
    if (want && same(want.start, t.startedAt)) {
      // Still the same wait: a breach stays as recorded; a running clock follows the current policy and window.
      if (t.status !== "running") continue;
      if (same(want.dueAt, t.dueAt) && same(want.warnAt, t.warnAt) && want.policyId === t.policyId && t.teamId === conv.teamId) continue;
      // A warning is given again only if its moment moved past the one already given (e.g. a reply window reopened).
      const rearm = t.warnedAt && want.warnAt.getTime() > t.warnedAt.getTime();
      await tx
        .update(slaTargets)
        .set({ policyId: want.policyId, businessHours: want.businessHours, dueAt: want.dueAt, warnAt: want.warnAt, teamId: conv.teamId, ...(rearm ? { warnedAt: null } : {}) })
        .where(eq(slaTargets.id, t.id));
      if (!same(want.dueAt, t.dueAt) || !same(want.warnAt, t.warnAt)) {
        if (!t.warnedAt || rearm) timer({ metric: t.metric, kind: "warning", at: want.warnAt });
        timer({ metric: t.metric, kind: "breach", at: want.dueAt });
      }
      continue;
    }
    const done = completed.find((c) => c.metric === t.metric && same(c.start, t.startedAt));
    await closeTarget(tx, events, conv, t, done, now);
  }

  for (const want of desired) {
    if (open.some((t) => t.metric === want.metric && same(t.startedAt, want.start))) continue;
    // A wait already breached (then e.g. handed back to a bot and off again) is never measured twice.
    if (rows.some((t) => t.metric === want.metric && t.status === "breached" && same(t.startedAt, want.start))) continue;
    await tx.insert(slaTargets).values({
      workspaceId: conv.workspaceId,
      conversationId: conv.id,
      channelId: conv.channelId,
      teamId: conv.teamId,
      policyId: want.policyId,
      metric: want.metric,
      businessHours: want.businessHours,
      startedAt: want.start,
      warnAt: want.warnAt,
      dueAt: want.dueAt,
    });
    timer({ metric: want.metric, kind: "warning", at: want.warnAt });
    timer({ metric: want.metric, kind: "breach", at: want.dueAt });
  }
  return syncHeadline(tx, conv);
}

/** Records the warning of a running target whose warning time has come (once), for a timer or the sweeper. */
export async function fireWarning(tx: Tx, events: DomainEvent[], conversationId: string, metric: SlaMetric, now: Date): Promise<boolean> {
  const [t] = await tx
    .update(slaTargets)
    .set({ warnedAt: now })
    .where(
      and(
        eq(slaTargets.conversationId, conversationId),
        eq(slaTargets.metric, metric),
        isNull(slaTargets.endedAt),
        eq(slaTargets.status, "running"),
        isNull(slaTargets.warnedAt),
        lte(slaTargets.warnAt, now),
        gt(slaTargets.dueAt, now),
      ),
    )
    .returning();
  if (!t) return false;
  const [conv] = await tx.select({ assigneeId: conversations.assigneeId, teamId: conversations.teamId }).from(conversations).where(eq(conversations.id, conversationId));
  events.push({ type: "sla.warning", workspaceId: t.workspaceId, conversationId, metric, dueAt: t.dueAt.toISOString(), assigneeId: conv?.assigneeId ?? null, teamId: conv?.teamId ?? null });
  return true;
}

/** Records the breach of a running target whose deadline has passed (once, at its due time), for a timer or the sweeper. */
export async function fireBreach(tx: Tx, events: DomainEvent[], conversationId: string, metric: SlaMetric, now: Date): Promise<boolean> {
  const [conv] = await tx.select().from(conversations).where(eq(conversations.id, conversationId)).for("update");
  if (!conv) return false;
  const [t] = await tx
    .select()
    .from(slaTargets)
    .where(and(eq(slaTargets.conversationId, conversationId), eq(slaTargets.metric, metric), isNull(slaTargets.endedAt), eq(slaTargets.status, "running"), lte(slaTargets.dueAt, now)));
  if (!t) return false;
  await tx.update(slaTargets).set({ status: "breached", breachedAt: t.dueAt, outcomeAt: t.dueAt, agentId: conv.assigneeId }).where(eq(slaTargets.id, t.id));
  await appendLedger(tx, [{ workspaceId: conv.workspaceId, conversationId, type: "sla_breached", actor: "system", data: { metric, policyId: t.policyId, dueAt: t.dueAt.toISOString() }, at: now }]);
  await syncHeadline(tx, conv);
  events.push(breachedEvent(conv, t), { type: "conversation.updated", workspaceId: conv.workspaceId, conversationId });
  return true;
}
