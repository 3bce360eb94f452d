import { and, eq } from "drizzle-orm";
import type { Server, Socket } from "socket.io";
import { ClientEvents } from "../../shared/schemas/realtime.js";
import type { Ctx } from "../context.js";
import { parseCookies, resolveSession, SESSION_COOKIE } from "../auth/session.js";
import { conversations } from "../db/schema.js";
import { conversationScope } from "../domain/conversation-queries.js";
import { presenceOf, stillThere, TYPING_TTL_MS, type PresenceData } from "../domain/presence.js";
import type { Scope } from "../domain/scope.js";
import { rooms } from "../infra/realtime.js";
import { roomsOfUser } from "../domain/teams-rooms.js";

/** More open conversations than any console shows at once: a bound on what one socket may hold. */
const MAX_JOINED = 20;

/**
 * Only logged-in users connect, from our own origin; each joins its workspace's room, its session's
 * (so logging out closes the socket) and its user's (notifications; cutting off every device).
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
      const data: PresenceData = { user: { id: found.user.id, name: found.user.name }, typing: {} };
      Object.assign(socket.data, data);
      // Plus the rooms that decide which conversations' events reach it (its teams, its own, managers).
      await socket.join([rooms.workspace(found.scope.workspaceId), rooms.session(found.hash), rooms.user(found.user.id), ...(await roomsOfUser(ctx.db, found.scope))]);
      next();
    } catch (err) {
      ctx.log.warn("socket auth failed", { error: err });
      next(new Error("unauthorized"));
    }
  });
  io.on("connection", (socket) => presenceHandlers(ctx, io, socket));
}

type Ack = (answer: unknown) => void;
const ackOf = (fn: unknown): Ack => (typeof fn === "function" ? (fn as Ack) : () => {});

/**
 * Collision: `conversation.join` (answered with who is there), `conversation.typing`,
 * `conversation.leave`. The others on the conversation hear `conversation.viewing` and
 * `conversation.typing`; typing lapses after TYPING_TTL_MS without a repeat.
 */
function presenceHandlers(ctx: Ctx, io: Server, socket: Socket) {
  const scope = socket.data.scope as Scope;
  const data = socket.data as PresenceData;
  const me = data.user;
  const lapse = new Map<string, NodeJS.Timeout>();
  const joined = () => [...socket.rooms].filter((r) => r.startsWith("conversation:")).map((r) => r.slice("conversation:".length));

  const say = (conversationId: string, event: "conversation.viewing" | "conversation.typing", on: boolean) => {
    const base = { conversationId, userId: me.id, name: me.name };
    const room = rooms.conversation(conversationId);
    if (event === "conversation.viewing") socket.to(room).emit(event, { ...base, viewing: on });
    else socket.to(room).emit(event, { ...base, typing: on });
  };

  const stopTyping = (conversationId: string) => {
    clearTimeout(lapse.get(conversationId));
    lapse.delete(conversationId);
    if (data.typing[conversationId] === undefined) return;
    delete data.typing[conversationId];
    say(conversationId, "conversation.typing", false);
  };

  const leave = async (conversationId: string) => {
    const room = rooms.conversation(conversationId);
    stopTyping(conversationId);
    const others = await io.in(room).fetchSockets();
    await socket.leave(room);
    if (!stillThere(others, me.id, socket.id)) socket.to(room).emit("conversation.viewing", { conversationId, userId: me.id, name: me.name, viewing: false });
  };

  socket.on("conversation.join", async (raw: unknown, ackFn: unknown) => {
    const ack = ackOf(ackFn);
    try {
      const input = ClientEvents["conversation.join"].safeParse(raw);
      if (!input.success) return ack({ error: "conversationId must be a conversation id", code: "validation_failed" });
      const { conversationId } = input.data;
      // The same scope as the REST API: a conversation the user may not see cannot be joined.
      const [visible] = await ctx.db
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(conversationScope(scope), eq(conversations.id, conversationId)));
      if (!visible) return ack({ error: "conversation not found", code: "not_found" });
      const room = rooms.conversation(conversationId);
      if (!socket.rooms.has(room) && joined().length >= MAX_JOINED) return ack({ error: `at most ${MAX_JOINED} conversations open at once`, code: "conflict" });
      const before = await io.in(room).fetchSockets();
      const wasThere = stillThere(before, me.id, socket.id);
      await socket.join(room);
      ack(presenceOf(before, conversationId, me.id, Date.now()));
      if (!wasThere) say(conversationId, "conversation.viewing", true);
    } catch (err) {
      ctx.log.warn("conversation.join failed", { error: err });
      ack({ error: "internal error", code: "internal" });
    }
  });

  socket.on("conversation.typing", (raw: unknown) => {
    const input = ClientEvents["conversation.typing"].safeParse(raw);
    if (!input.success) return;
    const { conversationId, typing } = input.data;
    if (!socket.rooms.has(rooms.conversation(conversationId))) return; // join first
    if (!typing) return stopTyping(conversationId);
    data.typing[conversationId] = Date.now() + TYPING_TTL_MS;
    clearTimeout(lapse.get(conversationId));
    lapse.set(
      conversationId,
      setTimeout(() => stopTyping(conversationId), TYPING_TTL_MS),
    );
    // Every repeat is passed on, so the others' consoles can lapse it too if this process dies.
    say(conversationId, "conversation.typing", true);
  });

  socket.on("conversation.leave", async (raw: unknown, ackFn: unknown) => {
    const ack = ackOf(ackFn);
    const input = ClientEvents["conversation.leave"].safeParse(raw);
    if (!input.success || !socket.rooms.has(rooms.conversation(input.data.conversationId))) return ack({});
    await leave(input.data.conversationId).catch((err) => ctx.log.warn("conversation.leave failed", { error: err }));
    ack({});
  });

  socket.on("disconnecting", () => {
    for (const conversationId of joined()) {
      clearTimeout(lapse.get(conversationId));
      const room = rooms.conversation(conversationId);
      const typing = data.typing[conversationId] !== undefined;
      // The socket is going: tell the others from the server, unless this person is still there in another tab.
      void io
        .in(room)
        .fetchSockets()
        .then((others) => {
          if (typing) io.to(room).except(socket.id).emit("conversation.typing", { conversationId, userId: me.id, name: me.name, typing: false });
          if (!stillThere(others, me.id, socket.id)) io.to(room).except(socket.id).emit("conversation.viewing", { conversationId, userId: me.id, name: me.name, viewing: false });
        })
        .catch((err) => ctx.log.warn("presence on disconnect failed", { error: err }));
    }
  });
}
