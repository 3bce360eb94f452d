import { MarkReadRequest, MarkReadResult, NotificationList, NotificationListQuery } from "../../../shared/schemas/notifications.js";
import type { Ctx } from "../../context.js";
import { listNotifications, markRead } from "../../domain/notifications.js";
import { everyone, type RouteTable } from "../route.js";

export function notificationRoutes(ctx: Ctx, t: RouteTable) {
  t.add({
    method: "get",
    path: "/notifications",
    summary: "Your notifications (assignments, @mentions, SLA warnings and breaches), newest first, with the unread count",
    tag: "notifications",
    access: everyone,
    query: NotificationListQuery,
    response: NotificationList,
    handler: ({ query, scope }) => listNotifications(ctx.db, scope, query),
  });

  t.add({
    method: "post",
    path: "/notifications/read",
    summary: "Mark some ({ids}) or all ({all: true}) of your notifications read; answers the unread count",
    tag: "notifications",
    access: everyone,
    body: MarkReadRequest,
    response: MarkReadResult,
    handler: ({ body, scope }) => markRead(ctx, scope, body),
  });
}
