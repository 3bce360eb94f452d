import { Emitter } from "@socket.io/redis-emitter";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { Server } from "socket.io";
import type { ServerEventName, ServerEventPayload } from "../../shared/schemas/realtime.js";
import type { Logger } from "../logger.js";
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

/**
 * Pushes cross Redis to the other processes in batches: every push of one turn of the event loop
 * (an ingest batch's messages and conversation updates, say) goes out as one message on one channel,
 * instead of one Redis publish per push that every server process then receives and decodes. Each
 * server process delivers a batch to its own sockets, in order. Joins, leaves and disconnects still
 * go through the Socket.IO adapter; the pushes waiting are sent before them, so their order holds.
 */
export const pushChannel = (prefix: string) => `${socketKey(prefix)}:pushes`;

/** One push as it crosses Redis: the rooms, the event name, the payload. */
type Push = [to: string | string[], event: string, payload: unknown];

/**
 * Collects the pushes of one turn of the event loop and hands them to `send` together, as
 * `{"from":<sender>,"pushes":[...]}`. The sender's fixed opening, `head`, lets a receiver skip its
 * own batches without parsing them.
 */
function pushBuffer(from: string, send: (message: string) => void) {
  const head = `{"from":${JSON.stringify(from)},"pushes":`;
  let pending: Push[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const message = `${head}${JSON.stringify(pending)}}`;
    pending = [];
    send(message);
  };
  return {
    head,
    add(push: Push) {
      if (pending.length === 0) setImmediate(flush);
      pending.push(push);
    },
    flush,
  };
}

/** An adapter command that sends the waiting pushes first: a push emitted before it arrives before it. */
function afterFlush<A extends unknown[]>(buffer: { flush(): void }, command: (...args: A) => void) {
  return (...args: A) => {
    buffer.flush();
    command(...args);
  };
}

/** The Redis clients a server process shares with its Socket.IO adapter (one subscriber connection keeps the order). */
export type PushLink = { pub: Redis; sub: Redis; prefix: string; log: Logger };

/**
 * In a process that holds the Socket.IO server. Alone (embedded), pushes go straight to its sockets;
 * with Redis, to its own sockets at once and to the other processes' in batches (above).
 */
export function serverRealtime(io: Server, link?: PushLink): Realtime {
  const direct = {
    join: (room: string, target: string) => io.in(room).socketsJoin(target),
    leave: (room: string, target: string) => io.in(room).socketsLeave(target),
    socketsIn: async (room: string) => (await io.in(room).fetchSockets()).length,
    disconnect: (room: string) => io.in(room).disconnectSockets(true),
  };
  if (!link) return { ...direct, emit: (room, event, payload) => void io.to(room).emit(event, payload), close: async () => {} };

  const channel = pushChannel(link.prefix);
  const buffer = pushBuffer(randomUUID(), (message) => void link.pub.publish(channel, message).catch(() => 0));
  const ours = Buffer.from(buffer.head); // our own batches were delivered here already
  const onMessage = (from: Buffer, message: Buffer) => {
    if (from.toString() !== channel || message.subarray(0, ours.length).equals(ours)) return;
    let batch: { pushes: Push[] };
    try {
      batch = JSON.parse(message.toString()) as { pushes: Push[] };
    } catch (err) {
      link.log.warn("ignored an unreadable socket push batch", { error: err });
      return;
    }
    for (const [to, event, payload] of batch.pushes) io.local.to(to).emit(event, payload);
  };
  link.sub.on("messageBuffer", onMessage);
  void link.sub.subscribe(channel).catch((err: unknown) => link.log.warn("could not subscribe to socket pushes", { error: err }));
  return {
    emit: (room, event, payload) => {
      io.local.to(room).emit(event, payload);
      buffer.add([room, event, payload]);
    },
    join: afterFlush(buffer, direct.join),
    leave: afterFlush(buffer, direct.leave),
    socketsIn: direct.socketsIn,
    disconnect: afterFlush(buffer, direct.disconnect),
    close: async () => {
      buffer.flush();
      link.sub.off("messageBuffer", onMessage);
    },
  };
}

/** In a worker, which has no Socket.IO server: publish through Redis to every server process. */
export function emitterRealtime(connection: RedisOptions, prefix: string): Realtime {
  const client = new Redis({ ...connection, lazyConnect: false, maxRetriesPerRequest: 1 });
  client.on("error", () => {});
  // The emitter ignores publish's promise: while Redis is down every emit would end as an unhandled
  // rejection. Live events are best-effort (consoles reload what they missed), so a failed one is dropped.
  const publish = (channel: string, message: string | Buffer) => client.publish(channel, message).catch(() => 0);
  const emitter = new Emitter({ publish }, { key: socketKey(prefix) });
  const buffer = pushBuffer(randomUUID(), (message) => void publish(pushChannel(prefix), message));
  return {
    emit: (room, event, payload) => buffer.add([room, event, payload]),
    join: afterFlush(buffer, (room: string, target: string) => emitter.in(room).socketsJoin(target)),
    leave: afterFlush(buffer, (room: string, target: string) => emitter.in(room).socketsLeave(target)),
    socketsIn: async () => null,
    disconnect: afterFlush(buffer, (room: string) => emitter.in(room).disconnectSockets(true)),
    close: async () => {
      buffer.flush();
      client.disconnect();
    },
  };
}
