import { io, type Socket } from "socket.io-client";
import { z } from "zod";
import { Conversation, ServerEvents, type ClientEventName, type ServerEventName, type ServerEventPayload } from "../../shared/schemas/index.js";

export type ConnectionState = "offline" | "connecting" | "online" | "reconnecting";
export type ServerEventHandler<K extends ServerEventName> = (payload: ServerEventPayload<K>) => void;

const eventNames = Object.keys(ServerEvents) as ServerEventName[];
const handlers = new Map<ServerEventName, Set<(payload: unknown) => void>>();
const resyncHandlers = new Set<() => void>();
const stateListeners = new Set<() => void>();

let socket: Socket | null = null;
let state: ConnectionState = "offline";
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let retries = 0;
let rejectedHandler: (() => void) | null = null;
/** When the live connection was last lost (ms), while it is down; null while online. */
let offlineSince: number | null = null;
/** How long the last outage lasted (ms), once back online. */
let lastOutageMs: number | null = null;

/** Called when the server refuses or drops the connection (e.g. the session ended). */
export function setSocketRejectedHandler(handler: (() => void) | null): void {
  rejectedHandler = handler;
}

/** socket.io does not retry by itself after the server refused or closed the connection. */
function scheduleRetry(s: Socket): void {
  clearTimeout(retryTimer);
  const delay = Math.min(30_000, 1000 * 2 ** Math.min(retries++, 5));
  retryTimer = setTimeout(() => {
    if (socket !== s) return;
    rejectedHandler?.();
    s.connect();
  }, delay);
}

function setState(next: ConnectionState): void {
  if (state === next) return;
  state = next;
  for (const listener of stateListeners) listener();
}

/**
 * "conversation.updated" carries the full conversation. Parsing it with the summary schema alone
 * would strip handoffReason and resolvedAt, so the full shape is tried first.
 */
const FullConversationEvent = z.object({ conversation: Conversation });

function dispatch(name: ServerEventName, payload: unknown): void {
  if (name === "conversation.updated") {
    const full = FullConversationEvent.safeParse(payload);
    if (full.success) {
      for (const handler of handlers.get(name) ?? []) handler(full.data);
      return;
    }
  }
  const result = ServerEvents[name].safeParse(payload);
  if (!result.success) console.warn(`[parley] event ${name} does not match the shared schema`, result.error.issues);
  const value = result.success ? result.data : payload;
  for (const handler of handlers.get(name) ?? []) handler(value);
}

/**
 * Opens the live connection (the session cookie authenticates it). Every successful connect,
 * including the first, asks listeners to resync, so nothing that happened while we were not
 * connected (or before the first connect) is missed.
 */
export function connectSocket(): void {
  if (socket) return;
  const s = io({ path: "/socket.io", transports: ["websocket"], withCredentials: true });
  socket = s;
  setState("connecting");
  let everConnected = false;

  s.on("connect", () => {
    everConnected = true;
    retries = 0;
    if (offlineSince !== null) lastOutageMs = Date.now() - offlineSince;
    offlineSince = null;
    setState("online");
    for (const handler of [...resyncHandlers]) handler();
  });
  s.on("disconnect", (reason) => {
    if (socket !== s) return;
    offlineSince ??= Date.now();
    lastOutageMs = null;
    setState("reconnecting");
    if (reason === "io server disconnect") scheduleRetry(s);
  });
  s.on("connect_error", () => {
    if (socket !== s) return;
    setState(everConnected ? "reconnecting" : "connecting");
    if (!s.active) scheduleRetry(s);
  });
  for (const name of eventNames) s.on(name, (payload: unknown) => dispatch(name, payload));
}

export function disconnectSocket(): void {
  clearTimeout(retryTimer);
  retries = 0;
  offlineSince = null;
  lastOutageMs = null;
  const s = socket;
  socket = null;
  s?.removeAllListeners();
  s?.disconnect();
  setState("offline");
}

export function onServerEvent<K extends ServerEventName>(name: K, handler: ServerEventHandler<K>): () => void {
  let set = handlers.get(name);
  if (!set) handlers.set(name, (set = new Set()));
  const wrapped = handler as (payload: unknown) => void;
  set.add(wrapped);
  return () => set.delete(wrapped);
}

/** Called on every (re)connect: refetch whatever is on screen. */
export function onResync(handler: () => void): () => void {
  resyncHandlers.add(handler);
  return () => resyncHandlers.delete(handler);
}

export function getConnectionState(): ConnectionState {
  return state;
}

export function subscribeConnectionState(listener: () => void): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

/** When the connection dropped (ms since epoch) while it is down, else null. */
export function getOfflineSince(): number | null {
  return offlineSince;
}

/** How long the last outage lasted, once reconnected (null if there was none). */
export function getLastOutageMs(): number | null {
  return lastOutageMs;
}

/** Sends a client event (shared/schemas/realtime.ts ClientEvents); dropped while not connected. */
export function emitClientEvent(name: ClientEventName, payload: unknown): void {
  if (socket?.connected) socket.emit(name, payload);
}

/**
 * Sends a client event and waits for the server's acknowledgement. Resolves null when there is no
 * answer in time (not connected, or a server without that event).
 */
export function emitWithAck(name: ClientEventName, payload: unknown, timeoutMs = 4000): Promise<unknown> {
  const s = socket;
  if (!s?.connected) return Promise.resolve(null);
  return s
    .timeout(timeoutMs)
    .emitWithAck(name, payload)
    .catch(() => null);
}
