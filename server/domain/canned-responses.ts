import { and, asc, eq, ilike, or, sql } from "drizzle-orm";
import type { z } from "zod";
import type { CannedResponse, CannedResponseInput, CannedResponseUpdate } from "../../shared/schemas/canned.js";
import type { Executor } from "../db/client.js";
import { cannedResponses } from "../db/schema.js";
import { errorCodes } from "../infra/db-errors.js";
import { recordAudit } from "./audit.js";
import { Conflict, NotFound, type Scope } from "./scope.js";

type Row = typeof cannedResponses.$inferSelect;

function serialize(r: Row): CannedResponse {
  return {
    id: r.id,
    shortcut: r.shortcut,
    title: r.title,
    text: r.text,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const taken = (shortcut: string) => new Conflict(`another saved reply already uses /${shortcut}`, "shortcut_taken");
/** The unique index is the last word when two people save the same shortcut at once. */
const isDuplicate = (err: unknown) => errorCodes(err).includes("23505");
/** LIKE's wildcards in what the agent typed are matched literally. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The workspace's saved replies by shortcut; q matches the start of a shortcut or any part of a title or text. */
export async function listCanned(db: Executor, scope: Scope, q?: string): Promise<CannedResponse[]> {
  const term = q?.replace(/^\//, "").trim();
  const where = term
    ? and(
        eq(cannedResponses.workspaceId, scope.workspaceId),
        or(
          ilike(cannedResponses.shortcut, `${likeEscape(term.toLowerCase())}%`),
          ilike(cannedResponses.title, `%${likeEscape(term)}%`),
          ilike(cannedResponses.text, `%${likeEscape(term)}%`),
        ),
      )
    : eq(cannedResponses.workspaceId, scope.workspaceId);
  // Shortcut matches first: typing /ref should offer /refund before a reply that mentions "refer".
  const order = term ? [sql`(${cannedResponses.shortcut} ilike ${`${likeEscape(term.toLowerCase())}%`}) desc`, asc(cannedResponses.shortcut)] : [asc(cannedResponses.shortcut)];
  const rows = await db.select().from(cannedResponses).where(where).orderBy(...order).limit(200);
  return rows.map(serialize);
}

export async function createCanned(db: Executor, scope: Scope, input: z.output<typeof CannedResponseInput>): Promise<CannedResponse> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(cannedResponses)
        .values({ workspaceId: scope.workspaceId, shortcut: input.shortcut, title: input.title, text: input.text, createdBy: scope.userId })
        .onConflictDoNothing()
        .returning();
      if (!row) throw taken(input.shortcut);
      await recordAudit(tx, scope, "canned.created", "canned_response", row.id, { shortcut: row.shortcut });
      return serialize(row);
    });
  } catch (err) {
    if (isDuplicate(err)) throw taken(input.shortcut);
    throw err;
  }
}

export async function updateCanned(db: Executor, scope: Scope, id: string, input: z.output<typeof CannedResponseUpdate>): Promise<CannedResponse> {
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx
        .update(cannedResponses)
        .set({ ...input, updatedAt: new Date() })
        .where(and(eq(cannedResponses.workspaceId, scope.workspaceId), eq(cannedResponses.id, id)))
        .returning();
      if (!row) throw new NotFound("saved reply not found");
      await recordAudit(tx, scope, "canned.updated", "canned_response", row.id, { fields: Object.keys(input) });
      return serialize(row);
    });
  } catch (err) {
    if (isDuplicate(err) && input.shortcut) throw taken(input.shortcut);
    throw err;
  }
}

export async function deleteCanned(db: Executor, scope: Scope, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(cannedResponses)
      .where(and(eq(cannedResponses.workspaceId, scope.workspaceId), eq(cannedResponses.id, id)))
      .returning({ id: cannedResponses.id, shortcut: cannedResponses.shortcut });
    if (!row) throw new NotFound("saved reply not found");
    await recordAudit(tx, scope, "canned.deleted", "canned_response", row.id, { shortcut: row.shortcut });
  });
}
