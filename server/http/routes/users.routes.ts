import { and, asc, eq } from "drizzle-orm";
import { UserResponse } from "../../../shared/schemas/auth.js";
import { CreateUserRequest, UpdateUserRequest, UserIdParams, UserList } from "../../../shared/schemas/users.js";
import { hashPassword } from "../../auth/passwords.js";
import type { Ctx } from "../../context.js";
import { sessions, users } from "../../db/schema.js";
import { recordAudit } from "../../domain/audit.js";
import { serializeUser, userColumns } from "../../domain/users.js";
import { Conflict, NotFound } from "../../domain/scope.js";
import { admins, everyone, type RouteTable } from "../route.js";


export function userRoutes(ctx: Ctx, t: RouteTable) {
  t.add({
    method: "get",
    path: "/users",
    summary: "List the workspace's users (teammates to assign to)",
    tag: "users",
    access: everyone,
    response: UserList,
    async handler({ scope }) {
      const items = await ctx.db.select(userColumns).from(users).where(eq(users.workspaceId, scope.workspaceId)).orderBy(asc(users.name));
      return { items: items.map(serializeUser) };
    },
  });

  t.add({
    method: "post",
    path: "/users",
    summary: "Add a user",
    tag: "users",
    access: admins,
    body: CreateUserRequest,
    response: UserResponse,
    status: 201,
    async handler({ body, scope }) {
      const passwordHash = await hashPassword(body.password);
      return ctx.db.transaction(async (tx) => {
        const [user] = await tx
          .insert(users)
          .values({ workspaceId: scope.workspaceId, email: body.email, name: body.name, role: body.role, passwordHash })
          .onConflictDoNothing()
          .returning(userColumns);
        if (!user) throw new Conflict("a user with this email already exists", "email_taken");
        await recordAudit(tx, scope, "user.created", "user", user.id, { email: user.email, role: user.role });
        return { user: serializeUser(user) };
      });
    },
  });

  t.add({
    method: "patch",
    path: "/users/:id",
    summary: "Change a user's name, role or password",
    tag: "users",
    access: admins,
    params: UserIdParams,
    body: UpdateUserRequest,
    response: UserResponse,
    async handler({ params, body, scope }) {
      const patch: Partial<typeof users.$inferInsert> = {};
      if (body.name) patch.name = body.name;
      if (body.role) patch.role = body.role;
      if (body.password) patch.passwordHash = await hashPassword(body.password);
      if (body.active !== undefined) patch.deactivatedAt = body.active ? null : new Date();
      return ctx.db.transaction(async (tx) => {
        if (params.id === scope.userId && body.role && body.role !== "admin") {
          throw new Conflict("you cannot remove your own admin role", "own_admin_role");
        }
        if (params.id === scope.userId && body.active === false) throw new Conflict("you cannot deactivate yourself", "own_admin_role");
        const [user] = await tx
          .update(users)
          .set(patch)
          .where(and(eq(users.id, params.id), eq(users.workspaceId, scope.workspaceId)))
          .returning(userColumns);
        if (!user) throw new NotFound("user not found");
        // A new password, role or deactivation ends the user's sessions.
        if (body.password || body.role || body.active === false) await tx.delete(sessions).where(eq(sessions.userId, user.id));
        await recordAudit(tx, scope, "user.updated", "user", user.id, { fields: Object.keys(body) });
        return { user: serializeUser(user) };
      });
    },
  });
}
