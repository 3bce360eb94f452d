import { useCallback, useEffect, useRef, useState } from "react";
import { InboxView } from "../../../shared/schemas/index.js";
import { BulkBar } from "../components/inbox/bulk-bar";
import { ConversationList } from "../components/inbox/conversation-list";
import { ConversationPane } from "../components/inbox/conversation-pane";
import { FilterBar, isSavedView, ViewTabs } from "../components/inbox/inbox-toolbar";
import { SearchResults } from "../components/inbox/search-results";
import { Icon } from "../components/icons";
import { useInboxList, useMyTeamIds, useSavedViews } from "../hooks/queries";
import { useShortcuts } from "../hooks/use-shortcuts";
import { defaultParams, viewLabels, type InboxParams } from "../inbox/list-params";
import { loadLocal, saveLocal } from "../lib/prefs";
import { navigate } from "../router";
import { useSession } from "../session";

const STORAGE_KEY = "parley.inbox";

function initialParams(): InboxParams {
  const stored = loadLocal<Partial<InboxParams>>(STORAGE_KEY, {});
  const view = InboxView.safeParse(stored.view);
  return { ...defaultParams, ...stored, view: view.success ? view.data : defaultParams.view, q: "" };
}

export function InboxPage({ conversationId }: { conversationId: string | null }) {
  const { user } = useSession();
  const [params, setParamsState] = useState<InboxParams>(initialParams);
  const myTeamIds = useMyTeamIds(user.id);
  const list = useInboxList(params, user.id, myTeamIds);
  const [checked, setChecked] = useState<Set<string>>(() => new Set());
  const lastChecked = useRef<string | null>(null);
  const [searchText, setSearchText] = useState("");
  const [searching, setSearching] = useState<string | null>(null);
  /** The conversation opened from a contact in the search results: it shows that contact's panel. */
  const [contactShownFor, setContactShownFor] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const { rows } = list;
  // The list's heading names the saved view it shows, if any, rather than the preset underneath.
  const savedView = useSavedViews().data?.find((v) => isSavedView(params, v));

  const setParams = (next: InboxParams) => {
    setParamsState(next);
    setChecked(new Set());
    saveLocal(STORAGE_KEY, { ...next, q: "" });
  };

  const open = useCallback((id: string) => navigate({ page: "inbox", conversationId: id }), []);
  const onCheck = useCallback(
    (id: string, on: boolean, range: boolean) => {
      setChecked((prev) => {
        const next = new Set(prev);
        const ids = rows.map((r) => r.id);
        const from = lastChecked.current ? ids.indexOf(lastChecked.current) : -1;
        const to = ids.indexOf(id);
        // Shift-click selects the run between the last box and this one.
        const span = range && from >= 0 && to >= 0 ? ids.slice(Math.min(from, to), Math.max(from, to) + 1) : [id];
        for (const x of span) if (on) next.add(x);
        else next.delete(x);
        return next;
      });
      lastChecked.current = id;
    },
    [rows],
  );

  // j/k move through the list and open; x selects the open one.
  const step = (delta: number) => {
    if (rows.length === 0) return;
    const i = conversationId ? rows.findIndex((r) => r.id === conversationId) : -1;
    const next = rows[Math.max(0, Math.min(rows.length - 1, i < 0 ? 0 : i + delta))];
    if (next) open(next.id);
  };
  useShortcuts({
    j: () => step(1),
    k: () => step(-1),
    x: () => conversationId && onCheck(conversationId, !checked.has(conversationId), false),
    "/": () => searchInput.current?.focus(),
    Escape: () => {
      if (searching) setSearching(null);
      else if (checked.size) setChecked(new Set());
      else if (conversationId) navigate({ page: "inbox", conversationId: null });
    },
  });

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => setNotice(null), 5000);
    return () => clearTimeout(t);
  }, [notice]);

  const checkedIds = rows.filter((r) => checked.has(r.id)).map((r) => r.id);
  const allChecked = rows.length > 0 && checkedIds.length === rows.length;
  const emptyText = params.q ? "No conversations match the search." : params.view === "mine" ? "Nothing assigned to you. Enjoy the calm." : "No conversations here.";

  return (
    <div className={`inbox${conversationId ? " has-conversation" : ""}${searching ? " is-searching" : ""}`}>
      <aside className="inbox-sidebar" aria-label="Conversation list">
        <form
          className="search-box"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            const q = searchText.trim();
            if (q) setSearching(q);
          }}
        >
          <Icon name="search" size={16} />
          <label className="visually-hidden" htmlFor="inbox-search">
            Search messages, contacts and conversations
          </label>
          <input
            id="inbox-search"
            ref={searchInput}
            type="search"
            data-search-input
            placeholder="Search (press /)"
            value={searchText}
            maxLength={200}
            onChange={(e) => setSearchText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Escape") {
                setSearching(null);
                e.currentTarget.blur();
              }
            }}
            data-testid="search-input"
          />
        </form>
        <ViewTabs params={params} onChange={setParams} listId="conversation-list" />
        {checkedIds.length > 0 ? (
          <BulkBar
            ids={checkedIds}
            onDone={(result) => {
              setChecked(new Set());
              if (result) setNotice(result);
            }}
          />
        ) : (
          <FilterBar params={params} onChange={setParams} listId="conversation-list" />
        )}
        <div className="list-head">
          <label className="checkbox">
            <input
              type="checkbox"
              checked={allChecked}
              disabled={rows.length === 0}
              onChange={(e) => setChecked(e.target.checked ? new Set(rows.map((r) => r.id)) : new Set())}
              data-testid="select-all"
            />
            <span className="visually-hidden">Select every conversation loaded</span>
          </label>
          <span className="muted" aria-live="polite">
            <span data-testid="list-title">{savedView?.name ?? viewLabels[params.view]}</span> · {rows.length}
            {list.hasNextPage ? "+" : ""}
          </span>
          {notice && (
            <span className="notice" role="status" data-testid="bulk-result">
              {notice}
            </span>
          )}
        </div>
        <ConversationList
          id="conversation-list"
          rows={rows}
          loading={list.isLoading}
          loadingMore={list.isFetchingNextPage}
          error={list.error}
          hasMore={Boolean(list.hasNextPage)}
          selectedId={conversationId}
          checked={checked}
          meId={user.id}
          emptyText={emptyText}
          onSelect={open}
          onCheck={onCheck}
          onLoadMore={list.fetchNextPage as () => void}
          onRetry={() => void list.refetch()}
        />
      </aside>
      <section className="inbox-pane" aria-label="Conversation">
        {searching ? (
          <SearchResults
            q={searching}
            onOpen={(id, opts) => {
              setSearching(null);
              setContactShownFor(opts?.contact ? id : null);
              open(id);
            }}
            onFilterList={() => {
              setParams({ ...params, q: searching });
              setSearching(null);
            }}
            onClose={() => setSearching(null)}
          />
        ) : conversationId ? (
          <ConversationPane key={conversationId} id={conversationId} showContact={contactShownFor === conversationId} />
        ) : (
          <div className="pane-placeholder">
            <Icon name="inbox" size={40} />
            <p className="muted">Select a conversation to read and reply.</p>
            <p className="muted hide-phone">
              <kbd>j</kbd> / <kbd>k</kbd> to move, <kbd>?</kbd> for every shortcut.
            </p>
          </div>
        )}
      </section>
    </div>
  );
}
