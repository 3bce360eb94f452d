import {
  ConversationIdParams,
  ConversationList,
  ConversationListQuery,
  ConversationResponse,
  CreateMessageRequest,
  MessageIdParams,
  MessagePage,
  MessagePageQuery,
  MessageResponse,
  ModerationRequest,
  UpdateConversationRequest,
} from "../../../shared/schemas/conversations.js";
import type { Ctx } from "../../context.js";
import { moderateMessage, postAgentMessage, updateConversation } from "../../domain/agent-actions.js";
import { getConversation } from "../../domain/conversation-queries.js";
import { listInbox } from "../../domain/inbox-list.js";
import { messagePage } from "../../domain/message-pages.js";
import { everyone, type RouteTable } from "../route.js";

export function conversationRoutes(ctx: Ctx, t: RouteTable) {
  t.add({
    method: "get",
    path: "/conversations",
    summary: "The inbox: a view's conversations, filtered, sorted and paged (nextCursor)",
    tag: "conversations",
    access: everyone,
    query: ConversationListQuery,
    response: ConversationList,
    handler: ({ query, scope }) => listInbox(ctx.db, scope, query),
  });

  t.add({
    method: "get",
    path: "/conversations/:id",
    summary: "One conversation",
    tag: "conversations",
    access: everyone,
    params: ConversationIdParams,
    response: ConversationResponse,
    handler: async ({ params, scope }) => ({ conversation: await getConversation(ctx.db, scope, params.id) }),
  });

  t.add({
    method: "patch",
    path: "/conversations/:id",
    summary: "Change status (snoozed with snoozedUntil), assignee, team, owner or priority (owner human = take over, bot = hand back)",
    tag: "conversations",
    access: everyone,
    params: ConversationIdParams,
    body: UpdateConversationRequest,
    response: ConversationResponse,
    handler: async ({ params, body, scope }) => ({ conversation: await updateConversation(ctx, scope, params.id, body) }),
  });

  t.add({
    method: "get",
    path: "/conversations/:id/messages",
    summary: "A conversation's history a page at a time: newest page first, oldest to newest within it",
    tag: "conversations",
    access: everyone,
    params: ConversationIdParams,
    query: MessagePageQuery,
    response: MessagePage,
    handler: ({ params, query, scope }) => messagePage(ctx.db, scope, params.id, query),
  });

  t.add({
    method: "post",
    path: "/conversations/:id/messages",
    summary: "Reply to the customer (visibility public) or add an internal note",
    tag: "conversations",
    access: everyone,
    params: ConversationIdParams,
    body: CreateMessageRequest,
    response: MessageResponse,
    status: 201,
    handler: async ({ params, body, scope }) => ({ message: await postAgentMessage(ctx, scope, params.id, body) }),
  });

  t.add({
    method: "post",
    path: "/conversations/:id/messages/:messageId/moderation",
    summary: "Hide, unhide or delete a customer's public comment on the platform",
    tag: "conversations",
    access: everyone,
    params: MessageIdParams,
    body: ModerationRequest,
    response: MessageResponse,
    handler: async ({ params, body, scope }) => ({ message: await moderateMessage(ctx, scope, params.id, params.messageId, body) }),
  });
}
