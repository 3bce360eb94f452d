import { and, asc, desc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { BotPipeline, BotRule, BotSettings, DryRun, DryRunItem, DryRunRequest } from "../../shared/schemas/bots.js";
import { enqueue, type Ctx } from "../../server/context.js";
import type { Executor } from "../../server/db/client.js";
import { botDryRunItems, botDryRuns } from "../../server/db/schema.js";
import { recordAudit } from "../../server/domain/audit.js";
import { getChannelRow } from "../../server/domain/channels.js";
import { NotFound, type Scope } from "../../server/domain/scope.js";
import { rooms } from "../../server/infra/realtime.js";
import { channelRules } from "../bot-config.js";
import { applyPipelineInput, botSettingsOf, pipelineOf } from "../pipeline/config.js";
import { dryRunJob } from "./dry-run.job.js";

type RunRow = typeof botDryRuns.$inferSelect;
export type Proposal = { pipeline: BotPipeline; settings: BotSettings; rules: BotRule[] };
export type DryRunSummary = DryRun["summary"];

export const emptySummary = (): DryRunSummary => ({ answered: 0, handedOff: 0, other: 0, sameAsActual: 0, byReason: {} });

export function serializeRun(r: RunRow): DryRun {
  return {
    id: r.id,
    channelId: r.channelId,
    status: r.status,
    limit: r.limit,
    total: r.total,
    processed: r.processed,
    proposed: r.proposal !== null,
    useLlm: r.useLlm,
    summary: { ...emptySummary(), ...(r.summary as Partial<DryRunSummary>) },
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/**
 * Starts a dry run of a channel's bot over its last N customer messages, with the current pipeline
 * or a proposed one (saved with the run, never on the channel). It runs on the bulk queue, so it
 * never delays live bot replies, and sends nothing.
 */
export async function startDryRun(ctx: Ctx, scope: Scope, channelId: string, input: z.infer<typeof DryRunRequest>): Promise<DryRun> {
  const channel = await getChannelRow(ctx.db, scope, channelId);
  const proposed = input.pipeline || input.rules || input.settings;
  let proposal: Proposal | null = null;
  if (proposed) {
    const current = pipelineOf(channel.botSettings);
    proposal = {
      pipeline: input.pipeline ? applyPipelineInput(current, input.pipeline) : current,
      settings: { ...botSettingsOf(channel.botSettings), ...input.settings },
      rules: input.rules
        ? input.rules.map((r, i) => ({ ...r, id: "00000000-0000-4000-8000-000000000000", position: r.position || i, actions: r.actions ?? { labels: [], priority: null, resolve: false } }))
        : await channelRules(ctx.db, channel.id),
    };
  }
  const run = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(botDryRuns)
      .values({ workspaceId: scope.workspaceId, channelId: channel.id, createdBy: scope.userId, limit: input.limit, useLlm: input.useLlm, proposal, summary: emptySummary() })
      .returning();
    await recordAudit(tx, scope, "bot.dry_run", "channel", channel.id, { limit: input.limit, proposed: Boolean(proposed), useLlm: input.useLlm });
    return row!;
  });
  await enqueue(ctx, dryRunJob, { runId: run.id }, { jobId: `dry-run-${run.id}` });
  return serializeRun(run);
}

export async function getRunRow(db: Executor, scope: Pick<Scope, "workspaceId">, id: string): Promise<RunRow> {
  const [row] = await db.select().from(botDryRuns).where(and(eq(botDryRuns.workspaceId, scope.workspaceId), eq(botDryRuns.id, id)));
  if (!row) throw new NotFound("dry run not found");
  return row;
}

export async function getDryRun(db: Executor, scope: Pick<Scope, "workspaceId">, id: string): Promise<{ dryRun: DryRun; items: DryRunItem[] }> {
  const run = await getRunRow(db, scope, id);
  const items = await db.select().from(botDryRunItems).where(eq(botDryRunItems.runId, run.id)).orderBy(asc(botDryRunItems.position));
  return { dryRun: serializeRun(run), items: items.map((i) => i.item as DryRunItem) };
}

export async function listDryRuns(db: Executor, scope: Pick<Scope, "workspaceId">, channelId: string): Promise<DryRun[]> {
  const channel = await getChannelRow(db, scope, channelId);
  const rows = await db
    .select()
    .from(botDryRuns)
    .where(and(eq(botDryRuns.workspaceId, scope.workspaceId), eq(botDryRuns.channelId, channel.id)))
    .orderBy(desc(botDryRuns.createdAt))
    .limit(20);
  return rows.map(serializeRun);
}

/** Progress, live to the workspace's consoles (and pollable with GET /api/bots/dry-runs/:id). */
export function pushProgress(ctx: Ctx, run: RunRow) {
  ctx.realtime.emit(rooms.workspace(run.workspaceId), "bot.dry_run.updated", { dryRun: serializeRun(run) });
}
