import type { Conversation } from "../../../../shared/schemas/index.js";
import { platformLabel } from "../../social/platforms";
import { readContext, snippet } from "../../social/thread-context";
import { Stars } from "../social/stars";

interface Props {
  conversation: Conversation;
  /** The stars on the review message itself, when the context does not carry them. */
  fallbackRating: number | null;
}

/** What the thread hangs on: the post of a comment, the post that mentions the brand, the review. */
export function ThreadContextPanel({ conversation: c, fallbackRating }: Props) {
  const ctx = readContext(c.context);
  if (c.kind === "review") {
    const rating = ctx.rating ?? fallbackRating;
    if (rating === null && !ctx.reviewer && !ctx.location && !ctx.title) return null;
    return (
      <p className="thread-context" data-testid="thread-context">
        {rating !== null ? <Stars rating={rating} /> : <span className="muted">No star rating</span>}
        {ctx.title && <q className="context-review-title">{ctx.title}</q>}
        {ctx.reviewer && <span> by {ctx.reviewer}</span>}
        {ctx.location && <span className="muted"> · {ctx.location}</span>}
      </p>
    );
  }
  if (c.kind !== "comment" && c.kind !== "mention") return null;
  const lead = c.kind === "comment" ? "On the post" : "Mentioned in a post";
  const handle = ctx.postAuthor && c.platform === "x" && !ctx.postAuthor.startsWith("@") ? `@${ctx.postAuthor}` : ctx.postAuthor;
  const by = handle ? ` by ${handle}` : "";
  // Never a raw id ("On the post: 18000000000000101"): without the post's text or link, say so in words.
  if (!ctx.postText && !ctx.postUrl) {
    return (
      <p className="thread-context muted" data-testid="thread-context">
        {c.kind === "comment" ? "A comment on a post (the post is not known)." : "A post that mentions you."}
      </p>
    );
  }
  return (
    <p className="thread-context" data-testid="thread-context">
      {ctx.hasPicture && (
        <img className="context-picture" src={`/api/conversations/${encodeURIComponent(c.id)}/context-picture`} alt="" width={40} height={40} loading="lazy" data-testid="context-picture" onError={(e) => (e.currentTarget.hidden = true)} />
      )}
      <span className="muted">
        {lead}
        {by}:{" "}
      </span>
      {ctx.postText && (
        <q className="context-post-text" data-testid="context-post-text" title={ctx.postText}>
          {snippet(ctx.postText)}
        </q>
      )}
      {ctx.postUrl && (
        <>
          {" "}
          <a href={ctx.postUrl} target="_blank" rel="noopener noreferrer" data-testid="context-post-link">
            View the post on {platformLabel(c.platform)}
            <span className="visually-hidden"> (opens in a new tab)</span>
          </a>
        </>
      )}
    </p>
  );
}
