import type { Server } from "socket.io";
import type { Ctx } from "../context.js";
import { parseCookies, resolveSession, SESSION_COOKIE } from "../auth/session.js";
import { rooms } from "../infra/realtime.js";
import { roomsOfUser } from "../domain/teams-rooms.js";

/**
 * Only logged-in users connect, from our own origin; each joins its workspace's room (and its
 * session's, so logging out closes the socket).
 */
export function attachSocketAuth(ctx: Ctx, io: Server) {
  io.use(async (socket, next) => {
    try {
      const origin = socket.handshake.headers.origin;
      const host = socket.handshake.headers.host;
      if (origin && origin !== new URL(ctx.config.publicUrl).origin && new URL(origin).host !== host) {
        return next(new Error("origin not allowed"));
      }
      const found = await resolveSession(ctx.db, parseCookies(socket.handshake.headers.cookie)[SESSION_COOKIE]);
      if (!found) return next(new Error("unauthorized"));
      socket.data.scope = found.scope;
      // Plus the rooms that decide which conversations' events reach it (its teams, its own, managers).
      await socket.join([rooms.workspace(found.scope.workspaceId), rooms.session(found.hash), ...(await roomsOfUser(ctx.db, found.scope))]);
      next();
    } catch (err) {
      ctx.log.warn("socket auth failed", { error: err });
      next(new Error("unauthorized"));
    }
  });
}
