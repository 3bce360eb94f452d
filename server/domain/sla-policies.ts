import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import type { CreateSlaPolicyRequest, SlaPolicy, UpdateSlaPolicyRequest } from "../../shared/schemas/sla.js";
import { enqueue, type Ctx } from "../context.js";
import type { Executor, Tx } from "../db/client.js";
import { channels, slaPolicies, teams } from "../db/schema.js";
import { recordAudit } from "./audit.js";
import { BadRequest, NotFound, type Scope } from "./scope.js";
import { slaReapplyJob } from "./sla-reapply.job.js";

type PolicyRow = typeof slaPolicies.$inferSelect;

export function serializePolicy(p: PolicyRow): SlaPolicy {
  return {
    id: p.id,
    name: p.name,
    position: p.position,
    firstResponseSeconds: p.firstResponseSeconds,
    nextResponseSeconds: p.nextResponseSeconds,
    resolutionSeconds: p.resolutionSeconds,
    businessHours: p.businessHours,
    match: {
      channelIds: p.match.channelIds ?? [],
      kinds: (p.match.kinds ?? []) as SlaPolicy["match"]["kinds"],
      priorities: (p.match.priorities ?? []) as SlaPolicy["match"]["priorities"],
      teamIds: p.match.teamIds ?? [],
    },
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** What a policy is matched against. */
export type MatchTarget = { channelId: string; kind: string; priority: string; teamId: string | null };

/** The first policy (in position order) whose every non-empty list contains the conversation's value. */
export function matchPolicy<P extends Pick<PolicyRow, "match">>(ordered: P[], c: MatchTarget): P | null {
  const fits = (list: string[] | undefined, value: string | null) => !list?.length || (value !== null && list.includes(value));
  return ordered.find((p) => fits(p.match.channelIds, c.channelId) && fits(p.match.kinds, c.kind) && fits(p.match.priorities, c.priority) && fits(p.match.teamIds, c.teamId)) ?? null;
}

export async function listPolicies(db: Executor, workspaceId: string): Promise<PolicyRow[]> {
  return db.select().from(slaPolicies).where(eq(slaPolicies.workspaceId, workspaceId)).orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt));
}

/** Channels and teams named in a match must be the workspace's own. */
async function checkMatch(tx: Executor, workspaceId: string, match: { channelIds: string[]; teamIds: string[] }) {
  if (match.channelIds.length) {
    const found = await tx.select({ id: channels.id }).from(channels).where(and(eq(channels.workspaceId, workspaceId), inArray(channels.id, match.channelIds)));
    if (found.length !== new Set(match.channelIds).size) throw new BadRequest("match.channelIds: no such channel in this workspace", "unknown_channel");
  }
  if (match.teamIds.length) {
    const found = await tx.select({ id: teams.id }).from(teams).where(and(eq(teams.workspaceId, workspaceId), inArray(teams.id, match.teamIds)));
    if (found.length !== new Set(match.teamIds).size) throw new BadRequest("match.teamIds: no such team in this workspace", "unknown_team");
  }
}

/** Renumbers the workspace's policies 0..n-1 with `moved` at index `to` (clamped). */
async function reorder(tx: Tx, workspaceId: string, moved: string, to: number) {
  const ids = (await listPolicies(tx, workspaceId)).map((p) => p.id).filter((id) => id !== moved);
  ids.splice(Math.min(to, ids.length), 0, moved);
  for (const [i, id] of ids.entries()) await tx.update(slaPolicies).set({ position: i }).where(eq(slaPolicies.id, id));
}

/** Open conversations are measured against the new rules from now on (outcomes already recorded stay). */
async function reapply(ctx: Ctx, workspaceId: string) {
  const now = ctx.clock.now();
  await enqueue(ctx, slaReapplyJob, { workspaceId, since: now.toISOString() }, { jobId: `sla-reapply-${workspaceId}-${now.getTime()}` });
}

export async function createPolicy(ctx: Ctx, scope: Scope, input: z.infer<typeof CreateSlaPolicyRequest>): Promise<SlaPolicy> {
  const row = await ctx.db.transaction(async (tx) => {
    await checkMatch(tx, scope.workspaceId, input.match);
    const [{ n }] = (await tx.select({ n: sql<number>`count(*)::int` }).from(slaPolicies).where(eq(slaPolicies.workspaceId, scope.workspaceId))) as [{ n: number }];
    const [created] = await tx
      .insert(slaPolicies)
      .values({
        workspaceId: scope.workspaceId,
        name: input.name,
        position: n,
        firstResponseSeconds: input.firstResponseSeconds ?? null,
        nextResponseSeconds: input.nextResponseSeconds ?? null,
        resolutionSeconds: input.resolutionSeconds ?? null,
        businessHours: input.businessHours,
        match: input.match,
      })
      .returning();
    if (input.position !== undefined && input.position < n) await reorder(tx, scope.workspaceId, created!.id, input.position);
    await recordAudit(tx, scope, "sla_policy.created", "sla_policy", created!.id, { name: input.name });
    const [row] = await tx.select().from(slaPolicies).where(eq(slaPolicies.id, created!.id));
    return row!;
  });
  await reapply(ctx, scope.workspaceId);
  return serializePolicy(row);
}

export async function updatePolicy(ctx: Ctx, scope: Scope, id: string, input: z.infer<typeof UpdateSlaPolicyRequest>): Promise<SlaPolicy> {
  const row = await ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(slaPolicies).where(and(eq(slaPolicies.workspaceId, scope.workspaceId), eq(slaPolicies.id, id))).for("update");
    if (!current) throw new NotFound("SLA policy not found");
    const { position, ...fields } = input;
    const next = { ...current, ...fields, updatedAt: new Date() };
    if (!next.firstResponseSeconds && !next.nextResponseSeconds && !next.resolutionSeconds) {
      throw new BadRequest("a policy needs at least one of firstResponseSeconds, nextResponseSeconds, resolutionSeconds");
    }
    if (fields.match) await checkMatch(tx, scope.workspaceId, fields.match);
    await tx.update(slaPolicies).set({ ...fields, updatedAt: next.updatedAt }).where(eq(slaPolicies.id, id));
    if (position !== undefined) await reorder(tx, scope.workspaceId, id, position);
    await recordAudit(tx, scope, "sla_policy.updated", "sla_policy", id, { fields: Object.keys(input) });
    const [row] = await tx.select().from(slaPolicies).where(eq(slaPolicies.id, id));
    return row!;
  });
  await reapply(ctx, scope.workspaceId);
  return serializePolicy(row);
}

export async function deletePolicy(ctx: Ctx, scope: Scope, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const [gone] = await tx.delete(slaPolicies).where(and(eq(slaPolicies.workspaceId, scope.workspaceId), eq(slaPolicies.id, id))).returning();
    if (!gone) throw new NotFound("SLA policy not found");
    const rest = await listPolicies(tx, scope.workspaceId);
    for (const [i, p] of rest.entries()) if (p.position !== i) await tx.update(slaPolicies).set({ position: i }).where(eq(slaPolicies.id, p.id));
    await recordAudit(tx, scope, "sla_policy.deleted", "sla_policy", id, { name: gone.name });
  });
  await reapply(ctx, scope.workspaceId);
}

export async function getPolicy(db: Executor, scope: Pick<Scope, "workspaceId">, id: string): Promise<SlaPolicy> {
  const [row] = await db.select().from(slaPolicies).where(and(eq(slaPolicies.workspaceId, scope.workspaceId), eq(slaPolicies.id, id)));
  if (!row) throw new NotFound("SLA policy not found");
  return serializePolicy(row);
}
