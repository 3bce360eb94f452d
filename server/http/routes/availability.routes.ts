import { AvailabilityRequest, UserResponse } from "../../../shared/schemas/auth.js";
import { UserIdParams } from "../../../shared/schemas/users.js";
import type { Ctx } from "../../context.js";
import { setAvailability } from "../../domain/availability.js";
import { everyone, managers, type RouteTable } from "../route.js";

export function availabilityRoutes(ctx: Ctx, t: RouteTable) {
  t.add({
    method: "put",
    path: "/me/availability",
    summary: "Set my availability: online gets new conversations, away keeps mine, offline returns my open ones to my teams' queues",
    tag: "users",
    access: everyone,
    body: AvailabilityRequest,
    response: UserResponse,
    handler: async ({ body, scope }) => ({ user: (await setAvailability(ctx, scope.workspaceId, scope.userId, body.availability, "person"))! }),
  });

  t.add({
    method: "put",
    path: "/users/:id/availability",
    summary: "Set a teammate's availability (e.g. offline for someone who left without switching)",
    tag: "users",
    access: managers,
    params: UserIdParams,
    body: AvailabilityRequest,
    response: UserResponse,
    handler: async ({ params, body, scope }) => ({ user: (await setAvailability(ctx, scope.workspaceId, params.id, body.availability, "person"))! }),
  });
}
