import { Emitter } from "@socket.io/redis-emitter";
import { Redis } from "ioredis";
import type { Server } from "socket.io";
import type { ServerEventName, ServerEventPayload } from "../../shared/schemas/realtime.js";
import type { RedisOptions } from "./redis-connection.js";

/** Pushes events to Socket.IO rooms, from a server process or from a worker. */
export type Realtime = {
  /** To everyone in any of the rooms (each socket once). */
  emit<N extends ServerEventName>(room: string | string[], event: N, payload: ServerEventPayload<N>): void;
  /** Makes every socket in `room` (e.g. a user's) join or leave `target` (e.g. a team's), on every server. */
  join(room: string, target: string): void;
  leave(room: string, target: string): void;
  /**
   * How many sockets are in a room across every server process (the Redis adapter asks them all);
   * null where this process cannot know (a worker, which has no Socket.IO server).
   */
  socketsIn(room: string): Promise<number | null>;
  /** Closes every socket in the room, on every server process (a password change, a deactivation). */
  disconnect(room: string): void;
  close(): Promise<void>;
};

/**
 * Who receives what. Conversation and message events go to the conversation's audience only:
 * managers (admins and supervisors), the teams of its queue and channel, its assignee, or every agent
 * when neither it nor its channel has a team (see conversationRooms).
 */
/** Realtime for a process or tool with nobody to tell (before the socket server starts, the bot evaluation). */
export const silentRealtime: Realtime = { emit: () => {}, join: () => {}, leave: () => {}, socketsIn: async () => null, disconnect: () => {}, close: async () => {} };

export const rooms = {
  workspace: (workspaceId: string) => `workspace:${workspaceId}`,
  session: (tokenHash: string) => `session:${tokenHash}`,
  /** Every socket of one user: notifications, and cutting them off at once. */
  user: (userId: string) => `user:${userId}`,
  team: (teamId: string) => `team:${teamId}`,
  managers: (workspaceId: string) => `managers:${workspaceId}`,
  agents: (workspaceId: string) => `agents:${workspaceId}`,
  /** The consoles that have a conversation open (presence: viewing and typing). */
  conversation: (conversationId: string) => `conversation:${conversationId}`,
};

export const socketKey = (prefix: string) => `${prefix}:socket.io`;

/** In a process that holds the Socket.IO server (with the Redis adapter in scaled mode, this reaches every node). */
export function serverRealtime(io: Server): Realtime {
  return {
    emit: (room, event, payload) => void io.to(room).emit(event, payload),
    join: (room, target) => io.in(room).socketsJoin(target),
    leave: (room, target) => io.in(room).socketsLeave(target),
    socketsIn: async (room) => (await io.in(room).fetchSockets()).length,
    disconnect: (room) => io.in(room).disconnectSockets(true),
    close: async () => {},
  };
}

/** In a worker, which has no Socket.IO server: publish through Redis to every server node. */
export function emitterRealtime(connection: RedisOptions, prefix: string): Realtime {
  const client = new Redis({ ...connection, lazyConnect: false, maxRetriesPerRequest: 1 });
  client.on("error", () => {});
  // The emitter ignores publish's promise: while Redis is down every emit would end as an unhandled
  // rejection. Live events are best-effort (consoles reload what they missed), so a failed one is dropped.
  const publisher = { publish: (channel: string, message: string | Buffer) => client.publish(channel, message).catch(() => 0) };
  const emitter = new Emitter(publisher, { key: socketKey(prefix) });
  return {
    emit: (room, event, payload) => void emitter.to(room).emit(event, payload),
    join: (room, target) => emitter.in(room).socketsJoin(target),
    leave: (room, target) => emitter.in(room).socketsLeave(target),
    socketsIn: async () => null,
    disconnect: (room) => emitter.in(room).disconnectSockets(true),
    close: async () => {
      client.disconnect();
    },
  };
}
