import { z } from "zod";
import { Empty, uuid } from "../../../shared/schemas/common.js";
import {
  BulkRequest,
  BulkResult,
  ConversationIdParams,
  ConversationResponse,
  LabelsRequest,
  SavedView,
  SavedViewInput,
  SavedViewList,
  ViewCounts,
} from "../../../shared/schemas/conversations.js";
import { LabelInput, LabelList, LabelResponse, LabelUpdate } from "../../../shared/schemas/labels.js";
import { SearchQuery, SearchResult } from "../../../shared/schemas/search.js";
import type { Ctx } from "../../context.js";
import { bulkUpdate } from "../../domain/bulk.js";
import { getConversation } from "../../domain/conversation-queries.js";
import { viewCounts } from "../../domain/inbox-list.js";
import { createLabel, deleteLabel, listLabels, setConversationLabels, updateLabel } from "../../domain/labels.js";
import { createSavedView, deleteSavedView, listSavedViews } from "../../domain/saved-views.js";
import { search } from "../../domain/search.js";
import { admins, everyone, type RouteTable } from "../route.js";

const IdParams = z.object({ id: uuid });

/**
 * Finding conversations: view counts, labels, bulk changes, search and saved views. Mounted before the
 * conversation routes, so /conversations/counts is not read as a conversation id.
 */
export function findingRoutes(ctx: Ctx, t: RouteTable) {
  t.add({
    method: "get",
    path: "/conversations/counts",
    summary: "How many conversations each inbox view holds for me (capped)",
    tag: "conversations",
    access: everyone,
    response: ViewCounts,
    handler: ({ scope }) => viewCounts(ctx.db, scope),
  });

  t.add({
    method: "post",
    path: "/conversations/bulk",
    summary: "Apply one change to many conversations; each is checked and applied on its own",
    tag: "conversations",
    access: everyone,
    body: BulkRequest,
    response: BulkResult,
    handler: ({ body, scope }) => bulkUpdate(ctx, scope, body),
  });

  t.add({
    method: "put",
    path: "/conversations/:id/labels",
    summary: "Replace a conversation's labels (names of existing labels)",
    tag: "conversations",
    access: everyone,
    params: ConversationIdParams,
    body: LabelsRequest,
    response: ConversationResponse,
    handler: async ({ params, body, scope }) => {
      await setConversationLabels(ctx, scope, params.id, body.labels);
      return { conversation: await getConversation(ctx.db, scope, params.id) };
    },
  });

  t.add({
    method: "get",
    path: "/search",
    summary: "Search conversations, messages (full text, highlighted) and contacts",
    tag: "search",
    access: everyone,
    query: SearchQuery,
    response: SearchResult,
    handler: ({ query, scope }) => search(ctx.db, scope, query.q, query.limit),
  });

  t.add({
    method: "get",
    path: "/labels",
    summary: "The workspace's labels with their colours",
    tag: "labels",
    access: everyone,
    response: LabelList,
    handler: async ({ scope }) => ({ items: await listLabels(ctx.db, scope.workspaceId) }),
  });

  t.add({
    method: "post",
    path: "/labels",
    summary: "Create a label",
    tag: "labels",
    access: admins,
    body: LabelInput,
    response: LabelResponse,
    status: 201,
    handler: async ({ body, scope }) => ({ label: await createLabel(ctx, scope, body) }),
  });

  t.add({
    method: "patch",
    path: "/labels/:id",
    summary: "Rename or recolour a label (a rename renames it on every conversation)",
    tag: "labels",
    access: admins,
    params: IdParams,
    body: LabelUpdate,
    response: LabelResponse,
    handler: async ({ params, body, scope }) => ({ label: await updateLabel(ctx, scope, params.id, body) }),
  });

  t.add({
    method: "delete",
    path: "/labels/:id",
    summary: "Delete a label; it is removed from every conversation",
    tag: "labels",
    access: admins,
    params: IdParams,
    response: Empty,
    handler: async ({ params, scope }) => {
      await deleteLabel(ctx, scope, params.id);
      return {};
    },
  });

  t.add({
    method: "get",
    path: "/views",
    summary: "My saved inbox views",
    tag: "views",
    access: everyone,
    response: SavedViewList,
    handler: async ({ scope }) => ({ items: await listSavedViews(ctx.db, scope) }),
  });

  t.add({
    method: "post",
    path: "/views",
    summary: "Save a set of inbox filters under a name (for me only)",
    tag: "views",
    access: everyone,
    body: SavedViewInput,
    response: z.object({ view: SavedView }),
    status: 201,
    handler: async ({ body, scope }) => ({ view: await createSavedView(ctx.db, scope, body) }),
  });

  t.add({
    method: "delete",
    path: "/views/:id",
    summary: "Delete one of my saved views",
    tag: "views",
    access: everyone,
    params: IdParams,
    response: Empty,
    handler: async ({ params, scope }) => {
      await deleteSavedView(ctx.db, scope, params.id);
      return {};
    },
  });
}
