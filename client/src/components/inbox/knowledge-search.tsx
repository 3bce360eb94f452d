import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api } from "../../api";
import { focusComposer } from "../../inbox/composer-store";
import { ErrorMessage } from "../error-message";

/** A small knowledge base search beside the composer: agents find an article and take its text into their reply. */
export function KnowledgeSearch({ conversationId, channelId }: { conversationId: string; channelId: string }) {
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setQ(text.trim()), 300);
    return () => clearTimeout(t);
  }, [text]);
  const { data, error, isFetching } = useQuery({
    queryKey: ["kb-search", channelId, q],
    queryFn: ({ signal }) => api.searchKnowledge(q, channelId, signal),
    enabled: q.length > 0,
    staleTime: 60_000,
  });
  return (
    <details className="kb-search" data-testid="kb-search">
      <summary>Knowledge base</summary>
      <label className="visually-hidden" htmlFor={`kb-q-${conversationId}`}>
        Search the knowledge base
      </label>
      <input id={`kb-q-${conversationId}`} type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Search the knowledge base" data-testid="kb-search-input" />
      <ErrorMessage error={error} />
      {q && data && data.items.length === 0 && !isFetching && <p className="muted">No article matches.</p>}
      {data && data.items.length > 0 && (
        <ul aria-busy={isFetching}>
          {data.items.map(({ article: a, confidence }) => (
            <li key={a.id} data-testid="kb-search-result">
              <strong dir="auto">{a.title}</strong> <span className="muted">({Math.round(confidence * 100)} % match)</span>
              <p className="clamp-2" dir="auto">
                {a.body}
              </p>
              <button type="button" className="button-small" onClick={() => focusComposer(conversationId, "reply", a.body)} data-testid="kb-use">
                Use in reply
              </button>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
