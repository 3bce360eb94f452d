import { useLayoutEffect, useRef } from "react";
import type { Message } from "../../../../shared/schemas/index.js";
import { useNow } from "../../hooks/use-now";
import { MessageItem, type TimelineContext } from "./message-item";

/** The conversation's messages, oldest first; sticks to the bottom as new ones arrive. */
export function MessageTimeline({ messages, ctx }: { messages: Message[]; ctx: TimelineContext }) {
  const now = useNow(60_000);
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages]);

  function onScroll() {
    const el = scroller.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
  }

  return (
    <div className="timeline" ref={scroller} onScroll={onScroll}>
      {messages.length === 0 ? (
        <p className="muted timeline-empty">No messages yet.</p>
      ) : (
        <ol className="messages" role="log" aria-label="Messages" data-testid="timeline">
          {messages.map((m) => (
            <MessageItem key={m.id} message={m} ctx={ctx} now={now} />
          ))}
        </ol>
      )}
    </div>
  );
}
