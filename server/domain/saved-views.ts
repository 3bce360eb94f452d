import { and, asc, eq } from "drizzle-orm";
import type { z } from "zod";
import { ConversationFilters, type SavedView, type SavedViewInput } from "../../shared/schemas/conversations.js";
import type { Executor } from "../db/client.js";
import { savedViews } from "../db/schema.js";
import { NotFound, type Scope } from "./scope.js";

type Row = typeof savedViews.$inferSelect;

/** Saved views are each user's own: nobody else lists, uses or deletes them. */
const mine = (scope: Scope) => and(eq(savedViews.workspaceId, scope.workspaceId), eq(savedViews.userId, scope.userId));

function serialize(r: Row): SavedView {
  // Stored filters are re-read through the contract, so a filter dropped from it later cannot break the list.
  const filters = ConversationFilters.safeParse(r.filters);
  return { id: r.id, name: r.name, filters: filters.success ? filters.data : {}, sort: r.sort, createdAt: r.createdAt.toISOString() };
}

export async function listSavedViews(db: Executor, scope: Scope): Promise<SavedView[]> {
  const rows = await db.select().from(savedViews).where(mine(scope)).orderBy(asc(savedViews.createdAt), asc(savedViews.id));
  return rows.map(serialize);
}

export async function createSavedView(db: Executor, scope: Scope, input: z.infer<typeof SavedViewInput>): Promise<SavedView> {
  const [row] = await db
    .insert(savedViews)
    .values({ workspaceId: scope.workspaceId, userId: scope.userId, name: input.name, filters: input.filters, sort: input.sort })
    .returning();
  return serialize(row!);
}

export async function deleteSavedView(db: Executor, scope: Scope, id: string): Promise<void> {
  const gone = await db.delete(savedViews).where(and(mine(scope), eq(savedViews.id, id))).returning({ id: savedViews.id });
  if (gone.length === 0) throw new NotFound("saved view not found");
}
