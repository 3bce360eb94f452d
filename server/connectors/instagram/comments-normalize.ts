import type { NormalizedEventInput } from "../../../shared/schemas/normalized.js";
import type { MetaChange, MetaEntry } from "../meta/envelope.js";
import { normalizeMessaging, type MessagingItem } from "../meta/messaging-normalize.js";

type CommentValue = {
  id?: string;
  comment_id?: string;
  text?: string;
  from?: { id?: string; username?: string };
  media?: { id?: string; media_product_type?: string };
  media_id?: string;
  parent_id?: string;
};

/** A commenter is known by their username: it names the contact and is their public @handle. */
const usernameOf = (v: CommentValue) => (v.from?.username ? { name: v.from.username, handle: `@${v.from.username}` } : {});

/** An Instagram `changes[]` item (docs/platform-contracts.md §4.2): comments, live comments, mentions. */
export function normalizeInstagramChange(change: MetaChange, entry: MetaEntry): NormalizedEventInput[] {
  const v = (change.value ?? {}) as CommentValue;
  // The App Dashboard's "Test" button sends a DM in the changes shape.
  if (change.field === "messages") return normalizeMessaging(change.value as MessagingItem, String(entry.id));
  if (change.field === "mentions") return mention(v);
  if (change.field !== "comments" && change.field !== "live_comments") return [{ type: "ignored", reason: `instagram field "${change.field}" is not handled` }];
  // The docs disagree on the key of the comment id: accept both.
  const id = v.id ?? v.comment_id;
  if (!id) return [{ type: "ignored", reason: "instagram comment without id" }];
  const root = v.parent_id ?? id;
  const fromUs = v.from?.id !== undefined && v.from.id === String(entry.id);
  if (fromUs && !v.parent_id) return [{ type: "ignored", reason: "the account's own comment on its media" }];
  const context: Record<string, unknown> = {};
  if (v.media?.id) context.mediaId = v.media.id;
  if (v.media?.media_product_type) context.mediaType = v.media.media_product_type;
  if (change.field === "live_comments") context.live = true;
  return [
    {
      type: "message",
      thread: { kind: "comment", key: `comment:${root}`, context },
      contact: { externalId: v.from?.id ?? `anonymous:${id}`, ...usernameOf(v) },
      message: {
        externalId: id,
        text: v.text ?? "",
        direction: fromUs ? "out" : "in",
        ...(v.parent_id ? { parentExternalId: v.parent_id } : {}),
      },
    },
  ];
}

/** With Facebook Login, an @mention arrives as ids only: shown as a mention thread on the media. */
function mention(v: CommentValue): NormalizedEventInput[] {
  const mediaId = v.media_id ?? v.media?.id;
  if (!mediaId) return [{ type: "ignored", reason: "instagram mention without media_id" }];
  const id = v.comment_id ?? mediaId;
  return [
    {
      type: "message",
      thread: { kind: "mention", key: `post:${mediaId}`, context: { mediaId } },
      contact: { externalId: v.from?.id ?? `mention:${mediaId}`, ...usernameOf(v) },
      message: { externalId: `mention:${id}`, text: v.text ?? `Mentioned the account in a ${v.comment_id ? "comment" : "post"} (open it on Instagram).` },
    },
  ];
}
