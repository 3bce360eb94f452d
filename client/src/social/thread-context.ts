import type { Conversation } from "../../../shared/schemas/index.js";
import { safeUrl } from "./safe-url";

/** What the console shows of a conversation's `context`: the post, the mention, the review. */
export interface ThreadContext {
  postId: string | null;
  postUrl: string | null;
  postText: string | null;
  postAuthor: string | null;
  /** The post has a picture Parley can show (through GET /api/conversations/:id/context-picture). */
  hasPicture: boolean;
  rating: number | null;
  /** A review's headline (Trustpilot). */
  title: string | null;
  reviewer: string | null;
  location: string | null;
}

const text = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v : typeof v === "number" ? String(v) : null);

function nameOf(v: unknown): string | null {
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return text(o.displayName) ?? text(o.name);
  }
  return text(v);
}

/** A place's name; an API resource path (accounts/1/locations/2) means nothing to an agent. */
function placeName(v: unknown): string | null {
  const t = text(v);
  return t && !/^accounts\/[^/]+\/locations\//.test(t) ? t : null;
}

/** A star rating 1-5, or null. */
export function ratingOf(v: unknown): number | null {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 5 ? n : null;
}

/**
 * Reads the context loosely: connectors fill it with what their platform gives (a post's id, url and
 * text; a mention's text; a review's stars and reviewer), so every field may be missing.
 */
export function readContext(context: Conversation["context"] | undefined): ThreadContext {
  const c = context ?? {};
  return {
    postId: text(c.postId) ?? text(c.mediaId),
    postUrl: safeUrl(c.postUrl ?? c.permalinkUrl ?? c.url),
    postText: text(c.postText) ?? text(c.text),
    postAuthor: nameOf(c.postAuthor) ?? nameOf(c.author),
    hasPicture: safeUrl(c.thumbnailUrl) !== null,
    rating: ratingOf(c.rating),
    title: text(c.title),
    reviewer: nameOf(c.reviewer),
    location: placeName(c.locationName) ?? placeName(c.location),
  };
}

/** The first `max` characters of a text, on one line. */
export function snippet(value: string, max = 140): string {
  const one = value.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
