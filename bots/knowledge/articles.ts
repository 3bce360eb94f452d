import { and, desc, eq, ilike, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { KnowledgeArticle, KnowledgeArticleInput, KnowledgeArticleListQuery, KnowledgeArticleUpdate } from "../../shared/schemas/bots.js";
import type { Ctx } from "../../server/context.js";
import type { Executor } from "../../server/db/client.js";
import { knowledgeArticles } from "../../server/db/schema.js";
import { recordAudit } from "../../server/domain/audit.js";
import { BadRequest, Conflict, NotFound, type Scope } from "../../server/domain/scope.js";
import { tsConfigFor } from "../language/index.js";
import type { ArticleDraft } from "./import-formats.js";

type ArticleRow = typeof knowledgeArticles.$inferSelect;

/** Title (A), tags (B) and body (C), stemmed in the article's language. */
export function searchVector(tsConfig: string, a: { title: string; tags: string[]; body: string }): SQL {
  return sql`setweight(to_tsvector(${tsConfig}::regconfig, ${a.title}), 'A') || setweight(to_tsvector(${tsConfig}::regconfig, ${a.tags.join(" ")}), 'B') || setweight(to_tsvector(${tsConfig}::regconfig, ${a.body}), 'C')`;
}

export function serializeArticle(r: ArticleRow): KnowledgeArticle {
  return {
    id: r.id,
    externalId: r.externalId,
    title: r.title,
    body: r.body,
    tags: r.tags,
    language: r.language,
    enabled: r.enabled,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

const encodeCursor = (r: ArticleRow) => Buffer.from(`${r.updatedAt.toISOString()}|${r.id}`).toString("base64url");
function decodeCursor(cursor: string) {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = new Date(at ?? "");
  if (!id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) throw new BadRequest("cursor is not valid", "invalid_cursor");
  return { at: date, id };
}

export async function listArticles(db: Executor, scope: Pick<Scope, "workspaceId">, q: z.infer<typeof KnowledgeArticleListQuery>) {
  const where: SQL[] = [eq(knowledgeArticles.workspaceId, scope.workspaceId)];
  if (q.language) where.push(eq(knowledgeArticles.language, q.language));
  if (q.enabled !== undefined) where.push(eq(knowledgeArticles.enabled, q.enabled));
  if (q.tag) where.push(sql`${q.tag} = any(${knowledgeArticles.tags})`);
  if (q.q) {
    where.push(
      or(
        sql`${knowledgeArticles.search} @@ plainto_tsquery(${knowledgeArticles.tsConfig}::regconfig, ${q.q})`,
        ilike(knowledgeArticles.title, `%${q.q.replace(/[%_\\]/g, "\\$&")}%`),
      )!,
    );
  }
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    where.push(or(lt(knowledgeArticles.updatedAt, c.at), and(eq(knowledgeArticles.updatedAt, c.at), lt(knowledgeArticles.id, c.id)))!);
  }
  const rows = await db
    .select()
    .from(knowledgeArticles)
    .where(and(...where))
    .orderBy(desc(knowledgeArticles.updatedAt), desc(knowledgeArticles.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { items: page.map(serializeArticle), nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1]!) : null };
}

export async function getArticleRow(db: Executor, scope: Pick<Scope, "workspaceId">, id: string): Promise<ArticleRow> {
  const [row] = await db.select().from(knowledgeArticles).where(and(eq(knowledgeArticles.workspaceId, scope.workspaceId), eq(knowledgeArticles.id, id)));
  if (!row) throw new NotFound("article not found");
  return row;
}

async function assertExternalIdFree(tx: Executor, workspaceId: string, externalId: string | null | undefined, exceptId?: string) {
  if (!externalId) return;
  const [taken] = await tx
    .select({ id: knowledgeArticles.id })
    .from(knowledgeArticles)
    .where(and(eq(knowledgeArticles.workspaceId, workspaceId), eq(knowledgeArticles.externalId, externalId)));
  if (taken && taken.id !== exceptId) throw new Conflict(`another article already has the id ${externalId}`, "article_id_taken");
}

export async function createArticle(ctx: Ctx, scope: Scope, input: z.infer<typeof KnowledgeArticleInput>) {
  return ctx.db.transaction(async (tx) => {
    await assertExternalIdFree(tx, scope.workspaceId, input.externalId);
    const tsConfig = tsConfigFor(input.language);
    const [row] = await tx
      .insert(knowledgeArticles)
      .values({ workspaceId: scope.workspaceId, externalId: input.externalId ?? null, title: input.title, body: input.body, tags: input.tags, language: input.language, tsConfig, enabled: input.enabled, search: searchVector(tsConfig, input) })
      .returning();
    await recordAudit(tx, scope, "knowledge.created", "knowledge_article", row!.id, { title: input.title });
    return serializeArticle(row!);
  });
}

export async function updateArticle(ctx: Ctx, scope: Scope, id: string, patch: z.infer<typeof KnowledgeArticleUpdate>) {
  return ctx.db.transaction(async (tx) => {
    const current = await getArticleRow(tx, scope, id);
    if (patch.externalId !== undefined) await assertExternalIdFree(tx, scope.workspaceId, patch.externalId, id);
    const next = { ...current, ...patch, externalId: patch.externalId === undefined ? current.externalId : patch.externalId };
    const tsConfig = tsConfigFor(next.language);
    const [row] = await tx
      .update(knowledgeArticles)
      .set({ externalId: next.externalId, title: next.title, body: next.body, tags: next.tags, language: next.language, tsConfig, enabled: next.enabled, search: searchVector(tsConfig, next), updatedAt: new Date() })
      .where(and(eq(knowledgeArticles.workspaceId, scope.workspaceId), eq(knowledgeArticles.id, id)))
      .returning();
    await recordAudit(tx, scope, "knowledge.updated", "knowledge_article", id, { fields: Object.keys(patch) });
    return serializeArticle(row!);
  });
}

export async function deleteArticle(ctx: Ctx, scope: Scope, id: string) {
  await ctx.db.transaction(async (tx) => {
    const row = await getArticleRow(tx, scope, id);
    await tx.delete(knowledgeArticles).where(and(eq(knowledgeArticles.workspaceId, scope.workspaceId), eq(knowledgeArticles.id, row.id)));
    await recordAudit(tx, scope, "knowledge.deleted", "knowledge_article", id, { title: row.title });
  });
}

/**
 * Imports articles in one transaction: an article whose id (externalId) exists is updated, others
 * are created. All or nothing: a bad file answers 400 before anything is written (import-formats.ts).
 */
export async function importArticles(ctx: Pick<Ctx, "db">, scope: Scope, drafts: ArticleDraft[]) {
  return ctx.db.transaction(async (tx) => {
    const ids = drafts.map((d) => d.externalId).filter((x): x is string => Boolean(x));
    const existing = ids.length
      ? await tx
          .select({ id: knowledgeArticles.id, externalId: knowledgeArticles.externalId })
          .from(knowledgeArticles)
          .where(and(eq(knowledgeArticles.workspaceId, scope.workspaceId), inArray(knowledgeArticles.externalId, ids)))
      : [];
    const byExternal = new Map(existing.map((e) => [e.externalId!, e.id]));
    let created = 0;
    let updated = 0;
    const articles: Array<{ id: string; externalId: string | null; title: string }> = [];
    for (const d of drafts) {
      const tsConfig = tsConfigFor(d.language);
      const values = { title: d.title, body: d.body, tags: d.tags, language: d.language, tsConfig, enabled: d.enabled, search: searchVector(tsConfig, d) };
      const known = d.externalId ? byExternal.get(d.externalId) : undefined;
      if (known) {
        await tx.update(knowledgeArticles).set({ ...values, updatedAt: new Date() }).where(eq(knowledgeArticles.id, known));
        updated++;
        articles.push({ id: known, externalId: d.externalId, title: d.title });
      } else {
        const [row] = await tx.insert(knowledgeArticles).values({ ...values, workspaceId: scope.workspaceId, externalId: d.externalId }).returning({ id: knowledgeArticles.id });
        created++;
        articles.push({ id: row!.id, externalId: d.externalId, title: d.title });
      }
    }
    await recordAudit(tx, scope, "knowledge.imported", "knowledge_article", null, { created, updated });
    return { created, updated, articles };
  });
}
