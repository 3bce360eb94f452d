import type { Server } from "socket.io";
import type { Ctx } from "../context.js";
import { consoleClosed, consoleOpened } from "../domain/availability.js";
import type { Scope } from "../domain/scope.js";

/** Presence: each console that opens or closes is noted, so an agent with none open turns away in time. */
export function attachPresence(ctx: Ctx, io: Server) {
  io.on("connection", (socket) => {
    const scope = socket.data.scope as Scope | undefined;
    if (!scope) return;
    void consoleOpened(ctx, scope.workspaceId, scope.userId).catch((err) => ctx.log.warn("presence update failed", { error: err }));
    socket.on("disconnect", () => void consoleClosed(ctx, scope.userId).catch((err) => ctx.log.warn("presence update failed", { error: err })));
  });
}
