import { eq } from "drizzle-orm";
import { Empty } from "../../../shared/schemas/common.js";
import { BusinessHours, BusinessHoursResponse, CreateTeamRequest, TeamIdParams, TeamList, TeamResponse, UpdateTeamRequest } from "../../../shared/schemas/teams.js";
import { enqueue, type Ctx } from "../../context.js";
import { workspaceBusinessHours } from "../../db/schema.js";
import { recordAudit } from "../../domain/audit.js";
import { alwaysOpen } from "../../domain/business-hours.js";
import { slaReapplyJob } from "../../domain/sla-reapply.job.js";
import { checkBusinessHours, createTeam, deleteTeam, getTeam, listTeams, updateTeam } from "../../domain/teams.js";
import { admins, everyone, type RouteTable } from "../route.js";

export function teamRoutes(ctx: Ctx, t: RouteTable) {
  t.add({
    method: "get",
    path: "/teams",
    summary: "Teams with members (availability, open load), channels and waiting count; an agent sees only their own teams",
    tag: "teams",
    access: everyone,
    response: TeamList,
    handler: async ({ scope }) => ({ items: await listTeams(ctx.db, scope) }),
  });

  t.add({
    method: "post",
    path: "/teams",
    summary: "Create a team: members, channels (one team per channel), assignment policy, business hours",
    tag: "teams",
    access: admins,
    body: CreateTeamRequest,
    response: TeamResponse,
    status: 201,
    handler: async ({ body, scope }) => ({ team: await createTeam(ctx, scope, body) }),
  });

  t.add({
    method: "get",
    path: "/teams/:id",
    summary: "One team (an agent: only one of their own)",
    tag: "teams",
    access: everyone,
    params: TeamIdParams,
    response: TeamResponse,
    handler: async ({ params, scope }) => ({ team: await getTeam(ctx.db, scope, params.id) }),
  });

  t.add({
    method: "patch",
    path: "/teams/:id",
    summary: "Change a team; its queue is served again at once (e.g. after a new member or a higher capacity)",
    tag: "teams",
    access: admins,
    params: TeamIdParams,
    body: UpdateTeamRequest,
    response: TeamResponse,
    handler: async ({ params, body, scope }) => ({ team: await updateTeam(ctx, scope, params.id, body) }),
  });

  t.add({
    method: "delete",
    path: "/teams/:id",
    summary: "Delete a team; its conversations leave its queue (recorded in their history)",
    tag: "teams",
    access: admins,
    params: TeamIdParams,
    response: Empty,
    handler: async ({ params, scope }) => {
      await deleteTeam(ctx, scope, params.id);
      return {};
    },
  });

  t.add({
    method: "get",
    path: "/business-hours",
    summary: "The workspace's business hours (teams without their own use these)",
    tag: "teams",
    access: everyone,
    response: BusinessHoursResponse,
    async handler({ scope }) {
      const [row] = await ctx.db.select().from(workspaceBusinessHours).where(eq(workspaceBusinessHours.workspaceId, scope.workspaceId));
      return { businessHours: row?.businessHours ?? alwaysOpen, isDefault: !row };
    },
  });

  t.add({
    method: "put",
    path: "/business-hours",
    summary: "Set the workspace's business hours; open conversations' business-hours SLA clocks are re-measured",
    tag: "teams",
    access: admins,
    body: BusinessHours,
    response: BusinessHoursResponse,
    async handler({ body, scope }) {
      checkBusinessHours(body, "body");
      await ctx.db.transaction(async (tx) => {
        await tx
          .insert(workspaceBusinessHours)
          .values({ workspaceId: scope.workspaceId, businessHours: body })
          .onConflictDoUpdate({ target: workspaceBusinessHours.workspaceId, set: { businessHours: body, updatedAt: new Date() } });
        await recordAudit(tx, scope, "business_hours.updated", "workspace", scope.workspaceId, { timeZone: body.timeZone });
      });
      const now = ctx.clock.now();
      await enqueue(ctx, slaReapplyJob, { workspaceId: scope.workspaceId, since: now.toISOString() }, { jobId: `sla-reapply-${scope.workspaceId}-${now.getTime()}` });
      return { businessHours: body, isDefault: false };
    },
  });
}
