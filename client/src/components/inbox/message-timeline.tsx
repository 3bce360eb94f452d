import { useLayoutEffect, useRef } from "react";
import type { Message } from "../../../../shared/schemas/index.js";
import { useNow } from "../../hooks/use-now";
import { MessageItem, type TimelineContext } from "./message-item";

interface Props {
  messages: Message[];
  ctx: TimelineContext;
  hasOlder: boolean;
  loadingOlder: boolean;
  loading: boolean;
  onLoadOlder: () => void;
}

/**
 * The conversation's messages, oldest first. Sticks to the bottom as new ones arrive; scrolling near
 * the top loads the page before, keeping what the agent was reading in place.
 */
export function MessageTimeline({ messages, ctx, hasOlder, loadingOlder, loading, onLoadOlder }: Props) {
  const now = useNow(60_000);
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const firstId = messages[0]?.id;
  /** Distance from the bottom before older messages were added above. */
  const anchor = useRef<{ firstId: string | undefined; fromBottom: number } | null>(null);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const a = anchor.current;
    if (a && a.firstId !== firstId) {
      // Older messages were put above: keep the same message under the reader's eyes.
      el.scrollTop = el.scrollHeight - a.fromBottom;
      anchor.current = null;
    } else if (stick.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [messages, firstId]);

  function loadOlder() {
    const el = scroller.current;
    if (!el || !hasOlder || loadingOlder) return;
    anchor.current = { firstId, fromBottom: el.scrollHeight - el.scrollTop };
    onLoadOlder();
  }

  function onScroll() {
    const el = scroller.current;
    if (!el) return;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    if (el.scrollTop < 150) loadOlder();
  }

  return (
    <div className="timeline" ref={scroller} onScroll={onScroll} data-testid="timeline-scroller">
      {hasOlder && (
        <div className="timeline-older">
          <button type="button" className="button-small" onClick={loadOlder} disabled={loadingOlder} data-testid="load-older">
            {loadingOlder ? "Loading older messages…" : "Load older messages"}
          </button>
        </div>
      )}
      {messages.length === 0 ? (
        <p className="muted timeline-empty">{loading ? "Loading messages…" : "No messages yet."}</p>
      ) : (
        <div role="log" aria-label="Messages">
          <ol className="messages" data-testid="timeline">
            {messages.map((m) => (
              <MessageItem key={m.id} message={m} ctx={ctx} now={now} />
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}
