import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef } from "react";
import type { ConversationSummary } from "../../../../shared/schemas/index.js";
import { useNow } from "../../hooks/use-now";
import { ErrorMessage } from "../error-message";
import { ConversationRow } from "./conversation-row";

interface Props {
  id: string;
  rows: ConversationSummary[];
  loading: boolean;
  loadingMore: boolean;
  error: unknown;
  hasMore: boolean;
  selectedId: string | null;
  checked: Set<string>;
  meId: string;
  emptyText: string;
  onSelect: (id: string) => void;
  onCheck: (id: string, checked: boolean, range: boolean) => void;
  onLoadMore: () => void;
  onRetry: () => void;
}

/**
 * The conversation list, virtualized: only the rows on screen are in the page, so it stays smooth
 * with 100,000 conversations. The next page loads as the end comes into view.
 */
export function ConversationList(props: Props) {
  const now = useNow(30_000);
  const { rows, loading, error, hasMore, loadingMore, onLoadMore } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 96,
    overscan: 6,
    getItemKey: (i) => rows[i]?.id ?? i,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? -1;

  useEffect(() => {
    if (hasMore && !loadingMore && !error && lastIndex >= rows.length - 8) onLoadMore();
  }, [hasMore, loadingMore, error, lastIndex, rows.length, onLoadMore]);

  // Keep the open conversation in view when another one is chosen (j/k), not when live updates move rows.
  const rowsRef = useRef(rows);
  rowsRef.current = rows;
  useEffect(() => {
    const index = props.selectedId ? rowsRef.current.findIndex((r) => r.id === props.selectedId) : -1;
    if (index >= 0) virtualizer.scrollToIndex(index, { align: "auto" });
  }, [props.selectedId, virtualizer]);

  return (
    <div className="conversation-list" id={props.id} ref={scroller} aria-busy={loading} data-testid="conversation-list" data-count={rows.length}>
      {error ? (
        <div className="list-error">
          <ErrorMessage error={error} />
          <button type="button" onClick={props.onRetry}>
            Retry
          </button>
        </div>
      ) : null}
      {loading && rows.length === 0 && <p className="list-empty muted">Loading conversations…</p>}
      {!loading && !error && rows.length === 0 && <p className="list-empty muted">{props.emptyText}</p>}
      <ul aria-label="Conversations" style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {items.map((v) => {
          const c = rows[v.index]!;
          return (
            <li key={v.key} data-index={v.index} ref={virtualizer.measureElement} className="virtual-row" style={{ transform: `translateY(${v.start}px)` }}>
              <ConversationRow
                conversation={c}
                meId={props.meId}
                selected={c.id === props.selectedId}
                checked={props.checked.has(c.id)}
                now={now}
                onSelect={props.onSelect}
                onCheck={props.onCheck}
              />
            </li>
          );
        })}
      </ul>
      {loadingMore && (
        <p className="list-more muted" role="status">
          Loading more…
        </p>
      )}
      {hasMore && !loadingMore && (
        <button type="button" className="load-more" onClick={onLoadMore} data-testid="load-more">
          Load more
        </button>
      )}
    </div>
  );
}
