import type { z } from "zod";
import type { BulkRequest, BulkResult } from "../../shared/schemas/conversations.js";
import type { ErrorCode } from "../../shared/schemas/errors.js";
import type { Ctx } from "../context.js";
import { changeConversation, lockConversation, type ConversationChange } from "./conversation-commands.js";
import { applyLabels, canonicalLabels } from "./labels.js";
import { BadRequest, Conflict, NotFound, type Scope } from "./scope.js";
import { inTransaction } from "./transaction.js";

type Bulk = z.infer<typeof BulkRequest>;

/** As LabelsRequest allows for one conversation. */
const MAX_LABELS = 20;

/**
 * Applies one change to many conversations. Each is locked with the caller's Scope and changed in its
 * own transaction, exactly as one PATCH would be: a conversation the caller may not see answers
 * not_found, and one refused (a deactivated assignee, say) does not stop the others.
 */
export async function bulkUpdate(ctx: Ctx, scope: Scope, input: Bulk): Promise<z.infer<typeof BulkResult>> {
  const set = input.set;
  if (set.snoozedUntil !== undefined && set.status !== "snoozed") throw new BadRequest("set.snoozedUntil: only with status snoozed");
  if (set.labels && (set.addLabels || set.removeLabels)) throw new BadRequest("set.labels replaces the labels: give it alone, or addLabels and removeLabels");
  // Label names are checked once, up front: an unknown one is the request's mistake, not a conversation's.
  const replace = set.labels ? await canonicalLabels(ctx.db, scope.workspaceId, set.labels) : null;
  const add = set.addLabels ? await canonicalLabels(ctx.db, scope.workspaceId, set.addLabels) : [];
  const remove = new Set((set.removeLabels ?? []).map((l) => l.toLowerCase()));
  const touchesLabels = replace !== null || add.length > 0 || remove.size > 0;

  const change: ConversationChange = {};
  if (set.status !== undefined) change.status = set.status;
  if (set.snoozedUntil !== undefined) change.snoozedUntil = new Date(set.snoozedUntil);
  if (set.assigneeId !== undefined) change.assigneeId = set.assigneeId;
  if (set.teamId !== undefined) change.teamId = set.teamId;
  if (set.priority !== undefined) change.priority = set.priority;
  const actor = { kind: "agent" as const, userId: scope.userId };

  const updated: string[] = [];
  const failed: Array<{ id: string; error: string; code: string }> = [];
  for (const id of [...new Set(input.ids)]) {
    try {
      await inTransaction(ctx, async (tx, events) => {
        const now = ctx.clock.now();
        let conv = await lockConversation(tx, scope, id);
        if (Object.keys(change).length) conv = await changeConversation(tx, events, conv, change, actor, now);
        if (touchesLabels) {
          const kept = (replace ?? conv.labels).filter((l) => !remove.has(l.toLowerCase()));
          const next = [...kept, ...add.filter((l) => !kept.includes(l))];
          if (next.length > MAX_LABELS) throw new BadRequest(`a conversation carries at most ${MAX_LABELS} labels`);
          await applyLabels(tx, events, conv, next, scope.userId, now);
        }
      });
      updated.push(id);
    } catch (err) {
      if (!(err instanceof NotFound || err instanceof BadRequest || err instanceof Conflict)) throw err;
      failed.push({ id, error: err.message, code: err.code satisfies ErrorCode });
    }
  }
  return { updated, failed };
}
