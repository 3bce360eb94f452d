import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import type { z } from "zod";
import type { Conversation, ConversationSummary, NotificationList, User } from "../../../shared/schemas/index.js";

type Notifications = z.infer<typeof NotificationList>;
import { alertOutside } from "../lib/alerts";
import { keys } from "../query-client";
import { navigate } from "../router";
import { onResync, onServerEvent } from "../socket";
import { putLiveConversation, putLiveMessage } from "./store";

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) || 0 : 0);
const fresh = (c: { updatedAt: string; activityAt: string }) => Math.max(ms(c.updatedAt), ms(c.activityAt));

/** Applies a full conversation to its detail cache, unless the cached copy is newer. */
export function applyConversation(qc: QueryClient, c: Conversation): void {
  putLiveConversation(c);
  qc.setQueryData<Conversation | null>(keys.conversation(c.id), (old) => (old && fresh(old) > fresh(c) ? old : c));
}

function debounce(fn: () => void, wait: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, wait);
  };
}

/**
 * Feeds socket events into the query cache for the whole console (mounted once, in the shell), and
 * refetches whatever is on screen after a reconnect: nothing missed while offline stays missing.
 */
export function useLiveSync(meId: string, onMeUpdated: (user: User) => void): void {
  const qc = useQueryClient();
  useEffect(() => {
    const refreshCounts = debounce(() => void qc.invalidateQueries({ queryKey: keys.counts }), 800);
    const offs = [
      onServerEvent("conversation.updated", ({ conversation }) => {
        // The socket layer parses the full shape first; a bare summary leaves the detail to refetch.
        const c = conversation as ConversationSummary | Conversation;
        if ("replyOptions" in c) applyConversation(qc, c);
        else {
          putLiveConversation(c);
          void qc.invalidateQueries({ queryKey: keys.conversation(c.id) });
        }
        refreshCounts();
      }),
      onServerEvent("message.created", ({ message }) => putLiveMessage(message, false)),
      onServerEvent("message.updated", ({ message }) => {
        putLiveMessage(message);
        // A refused send may have put the channel in "needs reconnect" or closed a window.
        if (message.status === "failed") void qc.invalidateQueries({ queryKey: keys.conversation(message.conversationId) });
      }),
      onServerEvent("channel.updated", ({ channel }) => {
        void qc.invalidateQueries({ queryKey: keys.channels });
        // Conversations on that channel show its state at once; what may be sent there is refetched.
        for (const [key, data] of qc.getQueriesData<Conversation | null>({ queryKey: ["conversation"] })) {
          if (data?.channelId !== channel.id) continue;
          qc.setQueryData<Conversation>(key, { ...data, channelStatus: channel.status, channelStatusReason: channel.statusReason });
          void qc.invalidateQueries({ queryKey: key });
        }
      }),
      onServerEvent("notification.created", ({ notification }) => {
        qc.setQueryData<Notifications | null>(keys.notifications, (old) =>
          old === undefined
            ? old
            : {
                items: [notification, ...(old?.items ?? []).filter((n) => n.id !== notification.id)],
                unread: (old?.unread ?? 0) + (notification.readAt ? 0 : 1),
                nextCursor: old?.nextCursor ?? null,
              },
        );
        alertOutside("Parley", notification.text, () => {
          if (notification.conversationId) navigate({ page: "inbox", conversationId: notification.conversationId });
        });
      }),
      onServerEvent("user.updated", ({ user }) => {
        qc.setQueryData<User[]>(keys.users, (old) => old?.map((u) => (u.id === user.id ? user : u)));
        if (user.id === meId) onMeUpdated(user);
      }),
      onServerEvent("sla.warning", ({ conversationId }) => void qc.invalidateQueries({ queryKey: keys.conversation(conversationId) })),
      onServerEvent("sla.breached", ({ conversationId }) => {
        void qc.invalidateQueries({ queryKey: keys.conversation(conversationId) });
        refreshCounts();
      }),
      // Back online (or first connect): refetch everything on screen.
      onResync(() => void qc.invalidateQueries()),
    ];
    return () => offs.forEach((off) => off());
  }, [qc, meId, onMeUpdated]);
}
