import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo } from "react";
import type { Message, User } from "../../../shared/schemas/index.js";
import { api, type MessagePage } from "../api";
import { mergeRows, toQuery, type InboxParams } from "../inbox/list-params";
import { applyConversation } from "../live/live-sync";
import { liveConversations, liveMessages, useLiveConversationsVersion, useLiveMessagesVersion } from "../live/store";
import { keys, orMissing } from "../query-client";

/** When each list's first page was last requested (client clock), by its key. */
const listFetchedAt = new Map<string, number>();

/** The inbox list: pages by cursor, merged with live copies, in the list's order. */
export function useInboxList(params: InboxParams, meId: string, myTeamIds: string[] | null) {
  const paramsKey = JSON.stringify(params);
  const query = useInfiniteQuery({
    queryKey: keys.conversationList(params),
    queryFn: ({ pageParam, signal }) => {
      if (!pageParam) listFetchedAt.set(paramsKey, Date.now());
      return api.listConversations(toQuery(params, pageParam), signal);
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const version = useLiveConversationsVersion();
  const rows = useMemo(
    () => mergeRows(query.data?.pages.map((p) => p.items) ?? [], liveConversations(), listFetchedAt.get(paramsKey) ?? 0, params, meId, myTeamIds),
    // `version` re-merges when a live copy changes.
    [query.data, version, paramsKey, meId, myTeamIds],
  );
  return { ...query, rows };
}

export function useCounts() {
  return useQuery({ queryKey: keys.counts, queryFn: () => orMissing(api.conversationCounts), refetchInterval: 60_000 });
}

export function useConversation(id: string) {
  // Opening a conversation always asks the server too: reply options and windows change with time.
  return useQuery({ queryKey: keys.conversation(id), queryFn: async () => (await api.getConversation(id)).conversation, refetchOnMount: "always" });
}

const statusRank: Record<Message["status"], number> = { received: 0, queued: 1, sent: 2, delivered: 3, read: 4, failed: 5, cancelled: 5 };

/**
 * Pages of history (newest page first) merged with live messages into one timeline, oldest first.
 * A live copy wins over a fetched one if it arrived after the fetch, or says more (a later status).
 */
export function mergeTimeline(pages: MessagePage[], live: Map<string, { message: Message; at: number }>, fetchedAt: number, complete: boolean): Message[] {
  const fetched: Message[] = [];
  for (let i = pages.length - 1; i >= 0; i--) fetched.push(...pages[i]!.items);
  const index = new Map(fetched.map((m, i) => [m.id, i]));
  const oldest = fetched[0] ? Date.parse(fetched[0].createdAt) : -Infinity;
  const extra: Message[] = [];
  for (const { message, at } of live.values()) {
    const i = index.get(message.id);
    if (i !== undefined) {
      const mine = fetched[i]!;
      if (at >= fetchedAt || statusRank[message.status] > statusRank[mine.status]) fetched[i] = message;
    } else if (complete || Date.parse(message.createdAt) >= oldest) {
      extra.push(message);
    }
  }
  if (extra.length === 0) return fetched;
  const all = [...fetched, ...extra].map((m, i) => ({ m, i, t: Date.parse(m.createdAt) || 0 }));
  all.sort((a, b) => a.t - b.t || a.i - b.i);
  return all.map((x) => x.m);
}

const timelineFetchedAt = new Map<string, number>();

/** A conversation's history: newest page first, older pages on demand (`before` cursor). */
export function useTimeline(id: string) {
  const query = useInfiniteQuery({
    queryKey: keys.messages(id),
    queryFn: ({ pageParam }) => {
      if (!pageParam) timelineFetchedAt.set(id, Date.now());
      return api.messagePage(id, pageParam);
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const version = useLiveMessagesVersion();
  const messages = useMemo(
    () => mergeTimeline(query.data?.pages ?? [], liveMessages(id), timelineFetchedAt.get(id) ?? 0, !query.hasNextPage),
    [query.data, version, id, query.hasNextPage],
  );
  return { ...query, messages };
}

export function useUsers() {
  return useQuery({ queryKey: keys.users, queryFn: async () => (await api.listUsers()).items, staleTime: 60_000 });
}

/** Users who can be assigned or mentioned: active ones. */
export function useActiveUsers(): User[] {
  const { data } = useUsers();
  return useMemo(() => (data ?? []).filter((u) => u.active !== false), [data]);
}

export function useLabels() {
  return useQuery({ queryKey: keys.labels, queryFn: () => orMissing(async () => (await api.listLabels()).items), staleTime: 60_000 });
}

export function useTeams() {
  return useQuery({ queryKey: keys.teams, queryFn: () => orMissing(api.listTeams), staleTime: 60_000 });
}

/** The ids of the teams I belong to (null: this server has no teams yet, so cannot tell). */
export function useMyTeamIds(meId: string): string[] | null {
  const { data } = useTeams();
  return useMemo(() => (data ? data.filter((t) => t.memberIds.includes(meId)).map((t) => t.id) : null), [data, meId]);
}

export function useSavedViews() {
  return useQuery({ queryKey: keys.views, queryFn: () => orMissing(async () => (await api.listViews()).items) });
}

export function useNotifications() {
  return useQuery({ queryKey: keys.notifications, queryFn: () => orMissing(api.listNotifications), refetchInterval: 120_000 });
}

/** Changes a conversation and puts the answer in every cache at once (before the socket echoes it). */
export function usePatchConversation() {
  const qc = useQueryClient();
  return useCallback(
    async (id: string, body: Parameters<typeof api.updateConversation>[1]) => {
      const res = await api.updateConversation(id, body);
      applyConversation(qc, res.conversation);
      return res.conversation;
    },
    [qc],
  );
}
