import { useCallback, useEffect, useRef, useState } from "react";
import type { ConversationSummary } from "../../../shared/schemas/index.js";
import { api } from "../api";
import {
  applyLiveUpdate,
  isFresher,
  mergePage,
  sortByActivity,
  toQuery,
  type InboxFilter,
} from "../inbox/conversation-filter";
import { useResync, useServerEvent } from "./use-server-event";

interface ListState {
  items: ConversationSummary[];
  nextCursor: string | null;
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
}

const initial: ListState = { items: [], nextCursor: null, loading: true, loadingMore: false, error: null };

/** The inbox list for a filter: first page, "load more", and live updates from the socket. */
export function useConversationList(filter: InboxFilter, meId: string) {
  const [state, setState] = useState<ListState>(initial);
  const generation = useRef(0);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  // Live updates that arrive while a page is loading are replayed on top of the page.
  const liveWhileLoading = useRef(new Map<string, ConversationSummary>());
  const loadingRef = useRef(false);

  const { status, owner, mine } = filter;
  const reload = useCallback(async () => {
    const gen = ++generation.current;
    liveWhileLoading.current.clear();
    loadingRef.current = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    try {
      const page = await api.listConversations(toQuery({ status, owner, mine }));
      if (gen !== generation.current) return;
      loadingRef.current = false;
      let items = sortByActivity(page.items);
      for (const live of liveWhileLoading.current.values()) {
        const existing = items.find((item) => item.id === live.id);
        if (!existing || isFresher(live, existing)) {
          items = applyLiveUpdate(items, live, { status, owner, mine }, meId);
        }
      }
      setState({ items, nextCursor: page.nextCursor, loading: false, loadingMore: false, error: null });
    } catch (error) {
      if (gen !== generation.current) return;
      loadingRef.current = false;
      setState((s) => ({ ...s, loading: false, error }));
    }
  }, [status, owner, mine, meId]);

  useEffect(() => {
    setState(initial);
    void reload();
  }, [reload]);

  const loadMore = useCallback(async () => {
    const gen = generation.current;
    const cursor = state.nextCursor;
    if (!cursor || state.loadingMore) return;
    setState((s) => ({ ...s, loadingMore: true, error: null }));
    try {
      const page = await api.listConversations(toQuery(filterRef.current, cursor));
      if (gen !== generation.current) return;
      setState((s) => ({
        ...s,
        items: mergePage(s.items, page.items),
        nextCursor: page.nextCursor,
        loadingMore: false,
      }));
    } catch (error) {
      if (gen === generation.current) setState((s) => ({ ...s, loadingMore: false, error }));
    }
  }, [state.nextCursor, state.loadingMore]);

  /** Applies a conversation we learned about (socket event or our own PATCH). */
  const applyUpdate = useCallback(
    (conversation: ConversationSummary) => {
      if (loadingRef.current) liveWhileLoading.current.set(conversation.id, conversation);
      setState((s) => ({ ...s, items: applyLiveUpdate(s.items, conversation, filterRef.current, meId) }));
    },
    [meId],
  );

  useServerEvent("conversation.updated", ({ conversation }) => applyUpdate(conversation));
  useResync(() => void reload());

  return { ...state, reload, loadMore, applyUpdate };
}
