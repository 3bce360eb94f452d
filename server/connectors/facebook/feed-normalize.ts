import type { NormalizedEventInput } from "../../../shared/schemas/normalized.js";
import type { MetaChange, MetaEntry } from "../meta/envelope.js";

type FeedValue = {
  item?: string;
  verb?: string;
  comment_id?: string;
  post_id?: string;
  parent_id?: string;
  from?: { id?: string; name?: string };
  message?: string;
  created_time?: number;
  post?: { id?: string; permalink_url?: string };
  photo?: string;
  video?: string;
};

/**
 * A Page `feed` change (docs/platform-contracts.md §3.1). Only comments matter; a top-level comment roots its own
 * thread, a reply joins its parent's. The Page's own comments are echoes of replies.
 */
export function normalizeFeedChange(change: MetaChange, entry: MetaEntry): NormalizedEventInput[] {
  if (change.field !== "feed") return [{ type: "ignored", reason: `page field "${change.field}" is not handled` }];
  const v = (change.value ?? {}) as FeedValue;
  if (v.item !== "comment") return [{ type: "ignored", reason: `feed ${v.item ?? "?"} ${v.verb ?? ""}`.trim() }];
  const id = v.comment_id;
  if (!id) return [{ type: "ignored", reason: "feed comment without comment_id" }];
  switch (v.verb) {
    case "add":
      break;
    case "edited":
    case "edit":
      return [{ type: "message.edited", externalId: id, text: v.message ?? "" }];
    case "remove":
    case "delete":
      return [{ type: "message.deleted", externalId: id, occurredAt: seconds(v.created_time) }];
    case "hide":
    case "unhide":
      return [{ type: "message.moderated", externalId: id, hidden: v.verb === "hide" }];
    default:
      return [{ type: "ignored", reason: `feed comment ${v.verb ?? "?"}` }];
  }
  const topLevel = !v.parent_id || v.parent_id === v.post_id;
  const root = topLevel ? id : v.parent_id!;
  const fromPage = v.from?.id !== undefined && v.from.id === String(entry.id);
  // The Page commenting on its own post starts no customer conversation.
  if (fromPage && topLevel) return [{ type: "ignored", reason: "the Page's own comment on its post" }];
  const postId = v.post_id ?? v.post?.id;
  const context: Record<string, unknown> = {};
  if (postId) context.postId = postId;
  if (v.post?.permalink_url) context.postUrl = v.post.permalink_url;
  const attachments = [v.photo && { type: "image", url: v.photo }, v.video && { type: "video", url: v.video }].filter(Boolean) as Array<{ type: string; url: string }>;
  return [
    {
      type: "message",
      thread: { kind: "comment", key: `comment:${root}`, context },
      // Someone whose profile Facebook withholds still needs a stable contact per comment.
      contact: { externalId: v.from?.id ?? `anonymous:${id}`, ...(v.from?.name ? { name: v.from.name } : {}) },
      message: {
        externalId: id,
        text: v.message ?? "",
        direction: fromPage ? "out" : "in",
        ...(topLevel ? {} : { parentExternalId: v.parent_id }),
        ...(attachments.length ? { attachments } : {}),
        occurredAt: seconds(v.created_time),
      },
    },
  ];
}

const seconds = (s: number | undefined) => (typeof s === "number" && Number.isFinite(s) ? new Date(s * 1000).toISOString() : undefined);
