import { and, asc, eq } from "drizzle-orm";
import { Empty } from "../../../shared/schemas/common.js";
import { ConversationIdParams } from "../../../shared/schemas/conversations.js";
import { CreateSlaPolicyRequest, SlaPolicyIdParams, SlaPolicyList, SlaPolicyResponse, SlaTargetList, UpdateSlaPolicyRequest } from "../../../shared/schemas/sla.js";
import type { Ctx } from "../../context.js";
import { slaTargets } from "../../db/schema.js";
import { getConversation } from "../../domain/conversation-queries.js";
import { createPolicy, deletePolicy, getPolicy, listPolicies, serializePolicy, updatePolicy } from "../../domain/sla-policies.js";
import { admins, everyone, managers, type RouteTable } from "../route.js";

export function slaRoutes(ctx: Ctx, t: RouteTable) {
  t.add({
    method: "get",
    path: "/sla-policies",
    summary: "SLA policies in matching order (the first that matches a conversation applies)",
    tag: "sla",
    access: managers,
    response: SlaPolicyList,
    handler: async ({ scope }) => ({ items: (await listPolicies(ctx.db, scope.workspaceId)).map(serializePolicy) }),
  });

  t.add({
    method: "post",
    path: "/sla-policies",
    summary: "Create an SLA policy (first response, next response and resolution targets; match by channel, kind, priority, team)",
    tag: "sla",
    access: admins,
    body: CreateSlaPolicyRequest,
    response: SlaPolicyResponse,
    status: 201,
    handler: async ({ body, scope }) => ({ policy: await createPolicy(ctx, scope, body) }),
  });

  t.add({
    method: "get",
    path: "/sla-policies/:id",
    summary: "One SLA policy",
    tag: "sla",
    access: managers,
    params: SlaPolicyIdParams,
    response: SlaPolicyResponse,
    handler: async ({ params, scope }) => ({ policy: await getPolicy(ctx.db, scope, params.id) }),
  });

  t.add({
    method: "patch",
    path: "/sla-policies/:id",
    summary: "Change an SLA policy or its place in the order; running clocks follow, recorded outcomes stay",
    tag: "sla",
    access: admins,
    params: SlaPolicyIdParams,
    body: UpdateSlaPolicyRequest,
    response: SlaPolicyResponse,
    handler: async ({ params, body, scope }) => ({ policy: await updatePolicy(ctx, scope, params.id, body) }),
  });

  t.add({
    method: "delete",
    path: "/sla-policies/:id",
    summary: "Delete an SLA policy; its running clocks stop (cancelled), recorded outcomes stay",
    tag: "sla",
    access: admins,
    params: SlaPolicyIdParams,
    response: Empty,
    handler: async ({ params, scope }) => {
      await deletePolicy(ctx, scope, params.id);
      return {};
    },
  });

  t.add({
    method: "get",
    path: "/conversations/:id/sla",
    summary: "A conversation's SLA deadlines, oldest first: running, met, breached or cancelled",
    tag: "sla",
    access: everyone,
    params: ConversationIdParams,
    response: SlaTargetList,
    async handler({ params, scope }) {
      await getConversation(ctx.db, scope, params.id);
      const rows = await ctx.db
        .select()
        .from(slaTargets)
        .where(and(eq(slaTargets.workspaceId, scope.workspaceId), eq(slaTargets.conversationId, params.id)))
        .orderBy(asc(slaTargets.id));
      return {
        items: rows.map((r) => ({
          id: r.id,
          conversationId: r.conversationId,
          metric: r.metric,
          policyId: r.policyId,
          status: r.status,
          startedAt: r.startedAt.toISOString(),
          dueAt: r.dueAt.toISOString(),
          breachedAt: r.breachedAt?.toISOString() ?? null,
          doneAt: r.doneAt?.toISOString() ?? null,
          agentId: r.agentId,
        })),
      };
    },
  });
}
