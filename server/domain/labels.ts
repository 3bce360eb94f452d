import { and, asc, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Label, LabelInput, LabelUpdate } from "../../shared/schemas/labels.js";
import type { Ctx } from "../context.js";
import type { Executor, Tx } from "../db/client.js";
import { conversations, labels } from "../db/schema.js";
import type { DomainEvent } from "../infra/event-bus.js";
import { recordAudit } from "./audit.js";
import { lockConversation } from "./conversation-commands.js";
import { appendLedger } from "./ledger.js";
import { BadRequest, Conflict, NotFound, type Scope } from "./scope.js";
import { inTransaction } from "./transaction.js";

type LabelRow = typeof labels.$inferSelect;
type ConversationRow = typeof conversations.$inferSelect;

function serializeLabel(l: LabelRow): Label {
  return { id: l.id, name: l.name, color: l.color, description: l.description, createdAt: l.createdAt.toISOString() };
}

export async function listLabels(db: Executor, workspaceId: string): Promise<Label[]> {
  const rows = await db.select().from(labels).where(eq(labels.workspaceId, workspaceId)).orderBy(asc(sql`lower(${labels.name})`));
  return rows.map(serializeLabel);
}

/** Names compare without case: "VIP" and "vip" are one label. */
async function assertNameFree(tx: Executor, workspaceId: string, name: string, exceptId?: string) {
  const [taken] = await tx
    .select({ id: labels.id })
    .from(labels)
    .where(and(eq(labels.workspaceId, workspaceId), sql`lower(${labels.name}) = lower(${name})`));
  if (taken && taken.id !== exceptId) throw new Conflict(`a label named ${name} already exists`, "label_name_taken");
}

export async function createLabel(ctx: Ctx, scope: Scope, input: z.infer<typeof LabelInput>): Promise<Label> {
  return inTransaction(ctx, async (tx) => {
    await assertNameFree(tx, scope.workspaceId, input.name);
    const [row] = await tx
      .insert(labels)
      .values({ workspaceId: scope.workspaceId, name: input.name, color: input.color.toLowerCase(), description: input.description ?? null })
      .returning();
    await recordAudit(tx, scope, "label.created", "label", row!.id, { name: row!.name });
    return serializeLabel(row!);
  });
}

async function lockLabel(tx: Tx, workspaceId: string, id: string): Promise<LabelRow> {
  const [row] = await tx
    .select()
    .from(labels)
    .where(and(eq(labels.workspaceId, workspaceId), eq(labels.id, id)))
    .for("update");
  if (!row) throw new NotFound("label not found");
  return row;
}

/**
 * Conversations carry label names, so a rename rewrites them and a delete removes the name from every
 * conversation; each one changed is pushed to the consoles showing it.
 */
async function rewriteConversationLabels(tx: Tx, events: DomainEvent[], workspaceId: string, from: string, to: string | null) {
  const replaced = to === null ? sql`array_remove(${conversations.labels}, ${from})` : sql`array_replace(${conversations.labels}, ${from}, ${to})`;
  const changed = await tx
    .update(conversations)
    .set({ labels: replaced, updatedAt: new Date() })
    .where(and(eq(conversations.workspaceId, workspaceId), sql`${conversations.labels} @> array[${from}]::text[]`))
    .returning({ id: conversations.id });
  for (const c of changed) events.push({ type: "conversation.updated", workspaceId, conversationId: c.id });
}

export async function updateLabel(ctx: Ctx, scope: Scope, id: string, input: z.infer<typeof LabelUpdate>): Promise<Label> {
  return inTransaction(ctx, async (tx, events) => {
    const before = await lockLabel(tx, scope.workspaceId, id);
    if (input.name !== undefined) await assertNameFree(tx, scope.workspaceId, input.name, id);
    const [row] = await tx
      .update(labels)
      .set({
        ...(input.name !== undefined && { name: input.name }),
        ...(input.color !== undefined && { color: input.color.toLowerCase() }),
        ...(input.description !== undefined && { description: input.description }),
      })
      .where(eq(labels.id, id))
      .returning();
    if (input.name !== undefined && input.name !== before.name) await rewriteConversationLabels(tx, events, scope.workspaceId, before.name, input.name);
    await recordAudit(tx, scope, "label.updated", "label", id, { fields: Object.keys(input) });
    return serializeLabel(row!);
  });
}

export async function deleteLabel(ctx: Ctx, scope: Scope, id: string): Promise<void> {
  await inTransaction(ctx, async (tx, events) => {
    const label = await lockLabel(tx, scope.workspaceId, id);
    await tx.delete(labels).where(eq(labels.id, id));
    await rewriteConversationLabels(tx, events, scope.workspaceId, label.name, null);
    await recordAudit(tx, scope, "label.deleted", "label", id, { name: label.name });
  });
}

/**
 * The workspace's spelling of each requested label (names match without case), in the order given,
 * without repeats. A name no admin created is refused, so the inbox's label filter stays a short list.
 */
export async function canonicalLabels(tx: Executor, workspaceId: string, requested: string[]): Promise<string[]> {
  if (requested.length === 0) return [];
  const known = await tx
    .select({ name: labels.name })
    .from(labels)
    .where(and(eq(labels.workspaceId, workspaceId), sql`lower(${labels.name}) in (${sql.join(requested.map((r) => sql`lower(${r})`), sql`, `)})`));
  const byLower = new Map(known.map((k) => [k.name.toLowerCase(), k.name]));
  const out: string[] = [];
  for (const r of requested) {
    const name = byLower.get(r.toLowerCase());
    if (!name) throw new BadRequest(`labels: no label named ${r}`, "unknown_label");
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Sets a locked conversation's labels (already canonical), with a ledger entry and a live update. */
export async function applyLabels(tx: Tx, events: DomainEvent[], conv: ConversationRow, next: string[], actorUserId: string, at: Date): Promise<ConversationRow> {
  const same = next.length === conv.labels.length && next.every((l, i) => l === conv.labels[i]);
  if (same) return conv;
  const [updated] = await tx.update(conversations).set({ labels: next, updatedAt: at }).where(eq(conversations.id, conv.id)).returning();
  await appendLedger(tx, [
    { workspaceId: conv.workspaceId, conversationId: conv.id, type: "labels_changed", actor: "agent", actorUserId, data: { labels: next, previous: conv.labels }, at },
  ]);
  events.push({ type: "conversation.updated", workspaceId: conv.workspaceId, conversationId: conv.id });
  return updated!;
}

/** PUT /api/conversations/:id/labels: replaces the labels of a conversation the caller may see. */
export async function setConversationLabels(ctx: Ctx, scope: Scope, id: string, requested: string[]): Promise<void> {
  await inTransaction(ctx, async (tx, events) => {
    const conv = await lockConversation(tx, scope, id);
    const next = await canonicalLabels(tx, scope.workspaceId, requested);
    await applyLabels(tx, events, conv, next, scope.userId, ctx.clock.now());
  });
}
