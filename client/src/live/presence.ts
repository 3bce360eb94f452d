import { useEffect, useSyncExternalStore } from "react";
import { JoinAck } from "../../../shared/schemas/index.js";
import { emitClientEvent, emitWithAck, onResync, onServerEvent } from "../socket";

/** Who else is in a conversation: viewers and typers, from conversation.viewing / conversation.typing. */
export interface Person {
  userId: string | null;
  name: string;
}

interface Room {
  viewers: Map<string, Person>;
  typing: Map<string, Person & { until: number }>;
}

/** Typing lapses after this long without a repeat (the server's rule too). */
const TYPING_LAPSE_MS = 6000;
/** How often a typer repeats "still typing". */
const TYPING_REPEAT_MS = 3000;

const rooms = new Map<string, Room>();
const joined = new Map<string, number>();
const listeners = new Set<() => void>();
let version = 0;
const bump = () => {
  version++;
  for (const l of listeners) l();
};
const keyOf = (p: Person) => p.userId ?? `bot:${p.name}`;

function room(id: string): Room {
  let r = rooms.get(id);
  if (!r) rooms.set(id, (r = { viewers: new Map(), typing: new Map() }));
  return r;
}

async function join(id: string): Promise<void> {
  const ack = JoinAck.safeParse(await emitWithAck("conversation.join", { conversationId: id }));
  if (!ack.success || !joined.has(id)) return;
  const r = room(id);
  r.viewers = new Map(ack.data.viewers.map((p) => [keyOf(p), p]));
  r.typing = new Map(ack.data.typing.map((p) => [keyOf(p), { ...p, until: Date.now() + TYPING_LAPSE_MS }]));
  bump();
}

let wired = false;
/** Subscribes to the presence events once, for the whole app. */
function wire(): void {
  if (wired) return;
  wired = true;
  onServerEvent("conversation.viewing", (e) => {
    const r = room(e.conversationId);
    const p = { userId: e.userId, name: e.name };
    if (e.viewing) r.viewers.set(keyOf(p), p);
    else {
      r.viewers.delete(keyOf(p));
      r.typing.delete(keyOf(p));
    }
    bump();
  });
  onServerEvent("conversation.typing", (e) => {
    const r = room(e.conversationId);
    const p = { userId: e.userId, name: e.name };
    if (e.typing) r.typing.set(keyOf(p), { ...p, until: Date.now() + TYPING_LAPSE_MS });
    else r.typing.delete(keyOf(p));
    bump();
    if (e.typing) setTimeout(bump, TYPING_LAPSE_MS + 50);
  });
  // After a reconnect the server has forgotten us: join again.
  onResync(() => {
    for (const id of joined.keys()) void join(id);
  });
}

/** Announces that this console has the conversation open, for as long as the component is mounted. */
export function useJoinConversation(id: string): void {
  useEffect(() => {
    wire();
    joined.set(id, (joined.get(id) ?? 0) + 1);
    void join(id);
    return () => {
      const n = (joined.get(id) ?? 1) - 1;
      if (n > 0) {
        joined.set(id, n);
        return;
      }
      joined.delete(id);
      rooms.delete(id);
      stopTyping(id);
      emitClientEvent("conversation.leave", { conversationId: id });
      bump();
    };
  }, [id]);
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** Teammates (and the bot) viewing and typing in a conversation, without me. */
export function usePresence(id: string, meId: string): { viewers: Person[]; typing: Person[] } {
  useSyncExternalStore(subscribe, () => version);
  const r = rooms.get(id);
  const now = Date.now();
  const viewers = [...(r?.viewers.values() ?? [])].filter((p) => p.userId !== meId);
  const typing = [...(r?.typing.values() ?? [])].filter((p) => p.userId !== meId && p.until > now);
  return { viewers, typing };
}

const lastTyped = new Map<string, number>();
const stopTimers = new Map<string, ReturnType<typeof setTimeout>>();

/** Call on every keystroke in the composer: tells the others, at most every few seconds. */
export function noteTyping(id: string): void {
  const now = Date.now();
  if (now - (lastTyped.get(id) ?? 0) > TYPING_REPEAT_MS) {
    lastTyped.set(id, now);
    emitClientEvent("conversation.typing", { conversationId: id, typing: true });
  }
  clearTimeout(stopTimers.get(id));
  stopTimers.set(
    id,
    setTimeout(() => stopTyping(id), TYPING_REPEAT_MS + 1000),
  );
}

/** Sent, cleared, or left: no longer typing. */
export function stopTyping(id: string): void {
  clearTimeout(stopTimers.get(id));
  stopTimers.delete(id);
  if (lastTyped.has(id)) {
    lastTyped.delete(id);
    emitClientEvent("conversation.typing", { conversationId: id, typing: false });
  }
}
