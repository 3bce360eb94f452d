import { useState } from "react";
import { ConversationFilters } from "../components/inbox/conversation-filters";
import { ConversationList } from "../components/inbox/conversation-list";
import { ConversationPane } from "../components/inbox/conversation-pane";
import { useConversationList } from "../hooks/use-conversation-list";
import { useDirectory } from "../hooks/use-directory";
import { defaultFilter, type InboxFilter } from "../inbox/conversation-filter";
import { navigate } from "../router";
import { useSession } from "../session";

/** The last filter used, kept while the app is open so leaving the inbox does not reset it. */
let lastFilter: InboxFilter = defaultFilter;

export function InboxPage({ conversationId }: { conversationId: string | null }) {
  const { user } = useSession();
  const [filter, setFilterState] = useState<InboxFilter>(lastFilter);
  const list = useConversationList(filter, user.id);
  const directory = useDirectory();

  const setFilter = (next: InboxFilter) => {
    setFilterState(next);
    lastFilter = next;
  };

  return (
    <div className="inbox">
      <aside className="inbox-sidebar" aria-label="Conversation list">
        <ConversationFilters filter={filter} onChange={setFilter} listId="conversation-list" />
        <ConversationList
          id="conversation-list"
          items={list.items}
          loading={list.loading}
          loadingMore={list.loadingMore}
          error={list.error}
          hasMore={list.nextCursor !== null}
          selectedId={conversationId}
          meId={user.id}
          onSelect={(id) => navigate({ page: "inbox", conversationId: id })}
          onLoadMore={() => void list.loadMore()}
          onRetry={() => void list.reload()}
        />
      </aside>
      <section className="inbox-pane" aria-label="Conversation">
        {conversationId ? (
          <ConversationPane
            key={conversationId}
            id={conversationId}
            meId={user.id}
            meName={user.name}
            users={directory.users}
            onChanged={list.applyUpdate}
          />
        ) : (
          <div className="pane-placeholder">
            <p className="muted">Select a conversation to read and reply.</p>
          </div>
        )}
      </section>
    </div>
  );
}
