import type { ConversationSummary } from "../../../../shared/schemas/index.js";
import { useNow } from "../../hooks/use-now";
import { ErrorMessage } from "../error-message";
import { ConversationRow } from "./conversation-row";

interface Props {
  id: string;
  items: ConversationSummary[];
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  hasMore: boolean;
  selectedId: string | null;
  meId: string;
  onSelect: (id: string) => void;
  onLoadMore: () => void;
  onRetry: () => void;
}

export function ConversationList(props: Props) {
  const now = useNow();
  const { items, loading, error } = props;
  return (
    <div className="conversation-list" id={props.id} role="tabpanel" aria-busy={loading}>
      {error ? (
        <div className="list-error">
          <ErrorMessage error={error} />
          <button type="button" onClick={props.onRetry}>
            Retry
          </button>
        </div>
      ) : null}
      {loading && items.length === 0 && <p className="list-empty muted">Loading conversations…</p>}
      {!loading && !error && items.length === 0 && <p className="list-empty muted">No conversations here.</p>}
      <ul aria-label="Conversations">
        {items.map((c) => (
          <ConversationRow
            key={c.id}
            conversation={c}
            meId={props.meId}
            selected={c.id === props.selectedId}
            now={now}
            onSelect={props.onSelect}
          />
        ))}
      </ul>
      {props.hasMore && (
        <button
          type="button"
          className="load-more"
          onClick={props.onLoadMore}
          disabled={props.loadingMore}
          data-testid="load-more"
        >
          {props.loadingMore ? "Loading…" : "Load more"}
        </button>
      )}
    </div>
  );
}
