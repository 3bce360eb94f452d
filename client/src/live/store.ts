import { useSyncExternalStore } from "react";
import type { ConversationSummary, Message } from "../../../shared/schemas/index.js";
import { freshness } from "../inbox/list-params";

/**
 * Live copies from socket events, kept beside the query cache. Screens merge them over fetched data
 * (whichever is fresher), so an event that lands while a page is loading is never lost.
 */

type Listener = () => void;

function createSignal() {
  const listeners = new Set<Listener>();
  let version = 0;
  return {
    bump() {
      version++;
      for (const l of listeners) l();
    },
    subscribe(l: Listener) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    get: () => version,
  };
}

const MAX_CONVERSATIONS = 5000;
/** A live copy and when it arrived (client clock). */
export interface LiveConversation {
  c: ConversationSummary;
  at: number;
}
const conversations = new Map<string, LiveConversation>();
const conversationSignal = createSignal();

/** Records a live copy of a conversation (an event, or our own change's answer). */
export function putLiveConversation(c: ConversationSummary): void {
  const existing = conversations.get(c.id);
  if (existing && freshness(existing.c) > freshness(c)) return;
  conversations.delete(c.id);
  conversations.set(c.id, { c, at: Date.now() });
  if (conversations.size > MAX_CONVERSATIONS) conversations.delete(conversations.keys().next().value!);
  conversationSignal.bump();
}

export function liveConversations(): Iterable<LiveConversation> {
  return conversations.values();
}

/** Re-renders when any live conversation changes; returns a version number for memo keys. */
export function useLiveConversationsVersion(): number {
  return useSyncExternalStore(conversationSignal.subscribe, conversationSignal.get);
}

/** A live message and when it arrived (to decide against a fetch that was in flight). */
export interface LiveMessage {
  message: Message;
  at: number;
}
const messages = new Map<string, Map<string, LiveMessage>>();
const messageSignal = createSignal();

/**
 * Records a live message. `replace` false (a message.created event, a POST answer) keeps a copy we
 * already hold: it may carry a newer status from message.updated, which can arrive first.
 */
export function putLiveMessage(m: Message, replace = true): void {
  let byId = messages.get(m.conversationId);
  if (!byId) messages.set(m.conversationId, (byId = new Map()));
  if (!replace && byId.has(m.id)) return;
  byId.set(m.id, { message: m, at: Date.now() });
  if (byId.size > 500) byId.delete(byId.keys().next().value!);
  messageSignal.bump();
}

export function liveMessages(conversationId: string): Map<string, LiveMessage> {
  return messages.get(conversationId) ?? new Map();
}

export function useLiveMessagesVersion(): number {
  return useSyncExternalStore(messageSignal.subscribe, messageSignal.get);
}

/** Forgets everything (logout): another user must never see these copies. */
export function clearLive(): void {
  conversations.clear();
  messages.clear();
  conversationSignal.bump();
  messageSignal.bump();
}
