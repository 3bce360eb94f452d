import { and, asc, eq, isNull } from "drizzle-orm";
import { UserResponse } from "../../../shared/schemas/auth.js";
import { CreateUserRequest, InviteResponse, InviteUserRequest, ResetLinkResponse, UpdateUserRequest, UserIdParams, UserList } from "../../../shared/schemas/users.js";
import { hashPassword } from "../../auth/passwords.js";
import type { Ctx } from "../../context.js";
import { userTokens, users } from "../../db/schema.js";
import { recordAudit } from "../../domain/audit.js";
import { issueUserToken, NO_PASSWORD } from "../../domain/invitations.js";
import { cutSockets, removeSessions } from "../../domain/profile.js";
import { serializeUser, userColumns } from "../../domain/users.js";
import { Conflict, NotFound } from "../../domain/scope.js";
import { rooms } from "../../infra/realtime.js";
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
    summary: "Add a user with a password chosen by the admin",
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
    method: "post",
    path: "/users/invite",
    summary: "Invite a person: answers a one-time link (valid 7 days, shown once) for them to set their own password",
    tag: "users",
    access: admins,
    body: InviteUserRequest,
    response: InviteResponse,
    status: 201,
    async handler({ body, scope }) {
      const result = await ctx.db.transaction(async (tx) => {
        const [user] = await tx
          .insert(users)
          .values({ workspaceId: scope.workspaceId, email: body.email, name: body.name, role: body.role, passwordHash: NO_PASSWORD })
          .onConflictDoNothing()
          .returning(userColumns);
        if (!user) throw new Conflict("a user with this email already exists", "email_taken");
        const link = await issueUserToken(ctx, tx, { userId: user.id, workspaceId: scope.workspaceId, purpose: "invite", createdBy: scope.userId });
        await recordAudit(tx, scope, "user.invited", "user", user.id, { email: user.email, role: user.role });
        return { user: serializeUser(user), ...link };
      });
      ctx.realtime.emit(rooms.workspace(scope.workspaceId), "user.updated", { user: result.user });
      return result;
    },
  });

  t.add({
    method: "post",
    path: "/users/:id/reset-link",
    summary: "A one-time password-reset link for a user (valid 24 hours, shown once); earlier links stop working",
    tag: "users",
    access: admins,
    params: UserIdParams,
    response: ResetLinkResponse,
    status: 201,
    async handler({ params, scope }) {
      return ctx.db.transaction(async (tx) => {
        const [user] = await tx
          .select(userColumns)
          .from(users)
          .where(and(eq(users.id, params.id), eq(users.workspaceId, scope.workspaceId)));
        if (!user) throw new NotFound("user not found");
        if (user.deactivatedAt) throw new Conflict("this user is deactivated: reactivate them first", "user_inactive");
        const link = await issueUserToken(ctx, tx, { userId: user.id, workspaceId: scope.workspaceId, purpose: "reset", createdBy: scope.userId });
        await recordAudit(tx, scope, "user.reset_link", "user", user.id);
        return link;
      });
    },
  });

  t.add({
    method: "patch",
    path: "/users/:id",
    summary: "Change a user's name, role or password, or deactivate (active false) and reactivate them",
    tag: "users",
    access: admins,
    params: UserIdParams,
    body: UpdateUserRequest,
    response: UserResponse,
    async handler({ params, body, scope }) {
      if (params.id === scope.userId && body.role && body.role !== "admin") {
        throw new Conflict("you cannot remove your own admin role", "own_admin_role");
      }
      if (params.id === scope.userId && body.active === false) throw new Conflict("you cannot deactivate yourself", "own_account");
      const patch: Partial<typeof users.$inferInsert> = {};
      if (body.name) patch.name = body.name;
      if (body.role) patch.role = body.role;
      if (body.password) patch.passwordHash = await hashPassword(body.password);
      if (body.active !== undefined) patch.deactivatedAt = body.active ? null : ctx.clock.now();
      const { user, cut } = await ctx.db.transaction(async (tx) => {
        const [before] = await tx
          .select(userColumns)
          .from(users)
          .where(and(eq(users.id, params.id), eq(users.workspaceId, scope.workspaceId)))
          .for("update");
        if (!before) throw new NotFound("user not found");
        // Deactivating twice keeps the first date.
        if (body.active === false && before.deactivatedAt) delete patch.deactivatedAt;
        const [user] = await tx.update(users).set(patch).where(eq(users.id, before.id)).returning(userColumns);
        // A new password, a role change or a deactivation ends the user's sessions; their live
        // connections are closed after the commit. A deactivated user's open links stop working.
        const cut = Boolean(body.password || (body.role && body.role !== before.role) || (body.active === false && !before.deactivatedAt));
        if (cut) await removeSessions(tx, before.id);
        if (body.active === false) await tx.update(userTokens).set({ usedAt: ctx.clock.now() }).where(and(eq(userTokens.userId, before.id), isNull(userTokens.usedAt)));
        await recordAudit(tx, scope, "user.updated", "user", before.id, { fields: Object.keys(body) });
        return { user: user!, cut };
      });
      if (cut) cutSockets(ctx, { userId: user.id });
      const serialized = serializeUser(user);
      ctx.realtime.emit(rooms.workspace(scope.workspaceId), "user.updated", { user: serialized });
      return { user: serialized };
    },
  });
}
