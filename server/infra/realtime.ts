import { Emitter } from "@socket.io/redis-emitter";
import { Redis } from "ioredis";
import type { Server } from "socket.io";
import type { ServerEventName, ServerEventPayload } from "../../shared/schemas/realtime.js";
import type { RedisOptions } from "./redis-connection.js";

/** Pushes events to Socket.IO rooms, from a server process or from a worker. */
export type Realtime = {
  emit<N extends ServerEventName>(room: string, event: N, payload: ServerEventPayload<N>): void;
  /** Closes every socket in the room, on every server process (a password change, a deactivation). */
  disconnect(room: string): void;
  close(): Promise<void>;
};

export const rooms = {
  workspace: (workspaceId: string) => `workspace:${workspaceId}`,
  session: (tokenHash: string) => `session:${tokenHash}`,
  /** Every socket of one user: notifications, and cutting them off at once. */
  user: (userId: string) => `user:${userId}`,
  /** The consoles that have a conversation open (presence: viewing and typing). */
  conversation: (conversationId: string) => `conversation:${conversationId}`,
};

export const socketKey = (prefix: string) => `${prefix}:socket.io`;

/** In a process that holds the Socket.IO server (with the Redis adapter in scaled mode, this reaches every node). */
export function serverRealtime(io: Server): Realtime {
  return {
    emit: (room, event, payload) => void io.to(room).emit(event, payload),
    disconnect: (room) => io.in(room).disconnectSockets(true),
    close: async () => {},
  };
}

/** In a worker, which has no Socket.IO server: publish through Redis to every server node. */
export function emitterRealtime(connection: RedisOptions, prefix: string): Realtime {
  const client = new Redis({ ...connection, lazyConnect: false, maxRetriesPerRequest: 3 });
  client.on("error", () => {});
  const emitter = new Emitter(client, { key: socketKey(prefix) });
  return {
    emit: (room, event, payload) => void emitter.to(room).emit(event, payload),
    disconnect: (room) => emitter.in(room).disconnectSockets(true),
    close: async () => {
      client.disconnect();
    },
  };
}
