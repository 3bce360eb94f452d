import { Emitter } from "@socket.io/redis-emitter";
import { Redis } from "ioredis";
import type { Server } from "socket.io";
import type { ServerEventName, ServerEventPayload } from "../../shared/schemas/realtime.js";
import type { RedisOptions } from "./redis-connection.js";

/** Pushes events to Socket.IO rooms, from a server process or from a worker. */
export type Realtime = {
  emit<N extends ServerEventName>(room: string, event: N, payload: ServerEventPayload<N>): void;
  close(): Promise<void>;
};

export const rooms = {
  workspace: (workspaceId: string) => `workspace:${workspaceId}`,
  session: (tokenHash: string) => `session:${tokenHash}`,
};

export const socketKey = (prefix: string) => `${prefix}:socket.io`;

/** In a process that holds the Socket.IO server (with the Redis adapter in scaled mode, this reaches every node). */
export function serverRealtime(io: Server): Realtime {
  return {
    emit: (room, event, payload) => void io.to(room).emit(event, payload),
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
    close: async () => {
      client.disconnect();
    },
  };
}
