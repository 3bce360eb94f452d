import { z } from "zod";
import {
  KnowledgeArticleInput,
  KnowledgeArticleList,
  KnowledgeArticleListQuery,
  KnowledgeArticleParams,
  KnowledgeArticleResponse,
  KnowledgeArticleUpdate,
  KnowledgeImportRequest,
  KnowledgeImportResult,
  KnowledgeSearchQuery,
  KnowledgeSearchResult,
} from "../../../shared/schemas/bots.js";
import { Empty } from "../../../shared/schemas/common.js";
import { createArticle, deleteArticle, getArticleRow, importArticles, listArticles, serializeArticle, updateArticle } from "../../../bots/knowledge/articles.js";
import { DEFAULT_MIN_CONFIDENCE } from "../../../bots/knowledge/confidence.js";
import { parseImport } from "../../../bots/knowledge/import-formats.js";
import { searchKnowledge } from "../../../bots/knowledge/search.js";
import { pipelineOf } from "../../../bots/pipeline/config.js";
import type { Ctx } from "../../context.js";
import { getChannelRow } from "../../domain/channels.js";
import { admins, everyone, ValidationFailed, type RouteTable } from "../route.js";

export function knowledgeRoutes(ctx: Ctx, t: RouteTable) {
  t.add({
    method: "get",
    path: "/knowledge/articles",
    summary: "Knowledge articles, recently changed first; filter by words, language, tag or enabled",
    tag: "knowledge",
    access: everyone,
    query: KnowledgeArticleListQuery,
    response: KnowledgeArticleList,
    handler: ({ query, scope }) => listArticles(ctx.db, scope, query),
  });

  t.add({
    method: "post",
    path: "/knowledge/articles",
    summary: "Add a knowledge article",
    tag: "knowledge",
    access: admins,
    body: KnowledgeArticleInput,
    response: KnowledgeArticleResponse,
    status: 201,
    handler: async ({ body, scope }) => ({ article: await createArticle(ctx, scope, body) }),
  });

  t.add({
    method: "get",
    path: "/knowledge/articles/:id",
    summary: "One knowledge article",
    tag: "knowledge",
    access: everyone,
    params: KnowledgeArticleParams,
    response: KnowledgeArticleResponse,
    handler: async ({ params, scope }) => ({ article: serializeArticle(await getArticleRow(ctx.db, scope, params.id)) }),
  });

  t.add({
    method: "patch",
    path: "/knowledge/articles/:id",
    summary: "Change a knowledge article (fields given), e.g. disable it",
    tag: "knowledge",
    access: admins,
    params: KnowledgeArticleParams,
    body: KnowledgeArticleUpdate,
    response: KnowledgeArticleResponse,
    handler: async ({ params, body, scope }) => ({ article: await updateArticle(ctx, scope, params.id, body) }),
  });

  t.add({
    method: "delete",
    path: "/knowledge/articles/:id",
    summary: "Delete a knowledge article (answers already sent keep their text and title)",
    tag: "knowledge",
    access: admins,
    params: KnowledgeArticleParams,
    response: Empty,
    async handler({ params, scope }) {
      await deleteArticle(ctx, scope, params.id);
      return {};
    },
  });

  t.add({
    method: "post",
    path: "/knowledge/import",
    summary: "Import articles from Markdown files, CSV or JSON; an article whose id exists is updated. All or nothing: any problem answers 400 listing each one",
    tag: "knowledge",
    access: admins,
    body: KnowledgeImportRequest,
    response: KnowledgeImportResult,
    async handler({ body, scope }) {
      const { drafts, problems } = parseImport(body.format, body.files, body.language);
      if (problems.length === 0 && drafts.length === 0) problems.push({ file: body.files[0]!.name, message: "no articles found" });
      if (problems.length) {
        const index = new Map(body.files.map((f, i) => [f.name, i]));
        throw new ValidationFailed(
          "body",
          new z.ZodError(problems.map((p) => ({ code: "custom" as const, path: ["files", index.get(p.file) ?? 0], message: `${p.file}${p.line ? ` line ${p.line}` : ""}: ${p.message}`, input: undefined }))),
        );
      }
      return importArticles(ctx, scope, drafts);
    },
  });

  t.add({
    method: "get",
    path: "/knowledge/search",
    summary: "Search the knowledge base as the bot does: articles with their confidence, and whether the bot would answer with them",
    tag: "knowledge",
    access: everyone,
    query: KnowledgeSearchQuery,
    response: KnowledgeSearchResult,
    async handler({ query, scope }) {
      const knowledge = query.channelId ? pipelineOf((await getChannelRow(ctx.db, scope, query.channelId)).botSettings).knowledge : null;
      const minConfidence = knowledge?.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
      const found = await searchKnowledge(ctx.db, scope.workspaceId, query.q, { limit: query.limit, tags: knowledge?.tags ?? [] });
      return {
        language: found.language,
        minConfidence,
        items: found.hits.map((h, i) => ({ article: serializeArticle(h.article), confidence: Math.round(h.confidence * 1000) / 1000, answers: i === 0 && h.confidence >= minConfidence })),
      };
    },
  });
}
