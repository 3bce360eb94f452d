import { useCallback, useEffect, useRef, useState } from "react";
import type { Conversation, ConversationSummary, Message } from "../../../shared/schemas/index.js";
import { api } from "../api";
import { useResync, useServerEvent } from "./use-server-event";

const ms = (iso: string) => Date.parse(iso) || 0;

/** Whether `a` is strictly more recent than `b` (by its latest change or activity). */
function fresherThan(a: ConversationSummary, b: ConversationSummary): boolean {
  return Math.max(ms(a.updatedAt), ms(a.activityAt)) > Math.max(ms(b.updatedAt), ms(b.activityAt));
}

/**
 * Adds or replaces a message, keeping the timeline oldest first. With `replace` false an
 * existing copy is kept: the POST answer and the "message.created" event carry the same
 * message, and the copy we already hold may have newer status from "message.updated".
 */
export function upsertMessage(list: Message[], message: Message, replace: boolean): Message[] {
  const index = list.findIndex((m) => m.id === message.id);
  if (index >= 0) {
    if (!replace) return list;
    const next = [...list];
    next[index] = message;
    return next;
  }
  const next = [...list, message];
  const last = list[list.length - 1];
  if (last && ms(message.createdAt) < ms(last.createdAt)) next.sort((a, b) => ms(a.createdAt) - ms(b.createdAt));
  return next;
}

/** One open conversation: its details and timeline, kept live. */
export function useConversation(id: string) {
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  const detailGeneration = useRef(0);
  const latest = useRef<Conversation | null>(null);
  useEffect(() => {
    latest.current = conversation;
  }, [conversation]);

  const reloadDetail = useCallback(async () => {
    const gen = ++detailGeneration.current;
    try {
      const res = await api.getConversation(id);
      if (gen === detailGeneration.current) setConversation(res.conversation);
    } catch {
      // The timeline reload reports errors; a failed detail refresh keeps what we show.
    }
  }, [id]);

  const reload = useCallback(async () => {
    const gen = ++generation.current;
    const detailGen = ++detailGeneration.current;
    setError(null);
    try {
      const [detail, list] = await Promise.all([api.getConversation(id), api.listMessages(id)]);
      if (gen !== generation.current) return;
      if (detailGen === detailGeneration.current) setConversation(detail.conversation);
      // Keep anything that arrived live while we were fetching.
      setMessages((current) => {
        let merged = list.items;
        for (const m of current) if (m.conversationId === id) merged = upsertMessage(merged, m, false);
        return merged;
      });
    } catch (err) {
      if (gen === generation.current) setError(err);
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  }, [id]);

  useEffect(() => {
    setConversation(null);
    setMessages([]);
    setLoading(true);
    void reload();
  }, [reload]);

  const addMessage = useCallback(
    (message: Message) => {
      if (message.conversationId === id) setMessages((list) => upsertMessage(list, message, false));
    },
    [id],
  );

  /** Merges a fresher full conversation (socket event, PATCH answer) or, failing that, a summary. */
  const applyConversation = useCallback(
    (next: ConversationSummary | Conversation) => {
      if (next.id !== id) return;
      const isFull = "handoffReason" in next && "resolvedAt" in next;
      const current = latest.current;
      // An older copy (a late echo) never replaces a newer one.
      if (current && fresherThan(current, next)) return;
      // A bare summary lacks handoffReason / resolvedAt: fetch them when they may have changed.
      if (!isFull && (!current || current.owner !== next.owner || current.status !== next.status)) {
        void reloadDetail();
      }
      setConversation((c) => (c ? { ...c, ...next } : isFull ? (next as Conversation) : c));
    },
    [id, reloadDetail],
  );

  useServerEvent("message.created", ({ message }) => addMessage(message));
  /** Replaces a message with a newer copy (a moderation answer, a status change). */
  const replaceMessage = useCallback(
    (message: Message) => {
      if (message.conversationId === id) setMessages((list) => upsertMessage(list, message, true));
    },
    [id],
  );

  useServerEvent("message.updated", ({ message }) => {
    replaceMessage(message);
    // A refused send may have put the channel in "needs reconnect" or closed a window.
    if (message.conversationId === id && message.status === "failed") void reloadDetail();
  });
  useServerEvent("conversation.updated", ({ conversation: c }) => applyConversation(c));
  // A channel that needs reconnecting (or was reconnected) changes what may be sent here.
  useServerEvent("channel.updated", ({ channel }) => {
    if (latest.current?.channelId === channel.id) void reloadDetail();
  });
  useResync(() => void reload());

  return { conversation, messages, loading, error, reload, reloadDetail, addMessage, replaceMessage, applyConversation };
}
