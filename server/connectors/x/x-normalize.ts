import type { NormalizedEventInput } from "../../../shared/schemas/normalized.js";

/** The parts of X's Account Activity payloads Parley reads (v1.1 objects; ids as strings). */
type XUser = { id?: string; id_str?: string; name?: string; screen_name?: string; profile_image_url_https?: string };
type XMedia = { type?: string; media_url_https?: string; video_info?: { variants?: Array<{ content_type?: string; url?: string; bitrate?: number }> } };
type XTweet = {
  id_str?: string;
  text?: string;
  truncated?: boolean;
  extended_tweet?: { full_text?: string; extended_entities?: { media?: XMedia[] } };
  in_reply_to_status_id_str?: string | null;
  in_reply_to_user_id_str?: string | null;
  user?: XUser;
  retweeted_status?: unknown;
  extended_entities?: { media?: XMedia[] };
  timestamp_ms?: string;
};
type XDmEvent = {
  type?: string;
  id?: string;
  created_timestamp?: string;
  message_create?: {
    target?: { recipient_id?: string };
    sender_id?: string;
    message_data?: { text?: string; attachment?: { type?: string; media?: XMedia } };
  };
};
type XMarkRead = { created_timestamp?: string; sender_id?: string; target?: { recipient_id?: string } };
export type XActivity = {
  for_user_id?: string;
  user_has_blocked?: string | boolean;
  direct_message_events?: XDmEvent[];
  direct_message_mark_read_events?: XMarkRead[];
  tweet_create_events?: XTweet[];
  tweet_delete_events?: Array<{ status?: { id?: string; user_id?: string }; timestamp_ms?: string }>;
  users?: Record<string, XUser>;
  [other: string]: unknown;
};

const whenMs = (ms?: string) => (ms && /^\d+$/.test(ms) ? new Date(Number(ms)).toISOString() : undefined);
const nameOf = (u?: XUser) => u?.name || (u?.screen_name ? `@${u.screen_name}` : undefined);
/** The contact as X describes the user: name, @screen_name, profile picture. */
const contactOf = (externalId: string, u?: XUser) => ({
  externalId,
  name: nameOf(u),
  handle: u?.screen_name ? `@${u.screen_name}` : undefined,
  avatarUrl: u?.profile_image_url_https,
});
/**
 * A post's or DM's media: photos by their URL; videos and GIFs by their best MP4 variant (the
 * media_url_https of a video is only its poster image).
 */
const mediaOf = (media?: XMedia[]) =>
  (media ?? []).map((m) => {
    if (m.type === "video" || m.type === "animated_gif") {
      const mp4 = (m.video_info?.variants ?? []).filter((v) => v.content_type === "video/mp4" && v.url).sort((a, b) => (b.bitrate ?? 0) - (a.bitrate ?? 0))[0];
      return mp4 ? { type: "video", url: mp4.url!, mimeType: "video/mp4" } : { type: "video", url: null, unavailable: "X gave no playable version of this video: open it on X." };
    }
    return { type: m.type === "photo" ? "image" : (m.type ?? "file"), url: m.media_url_https ?? null };
  });

/** Turns one Account Activity delivery into normalized events. Unknown arrays are recorded as ignored. */
export function normalizeXActivity(a: XActivity): NormalizedEventInput[] {
  const me = String(a.for_user_id ?? "");
  const out: NormalizedEventInput[] = [];
  for (const e of a.direct_message_events ?? []) out.push(...directMessage(me, e, a.users ?? {}));
  for (const t of a.tweet_create_events ?? []) out.push(...tweet(me, t, a.user_has_blocked));
  for (const d of a.tweet_delete_events ?? []) {
    if (d.status?.id) out.push({ type: "message.deleted", externalId: String(d.status.id), occurredAt: whenMs(d.timestamp_ms) });
  }
  for (const r of a.direct_message_mark_read_events ?? []) {
    // The customer read the conversation up to now; our own reads (sender = the account) say nothing about delivery.
    const at = whenMs(r.created_timestamp);
    if (r.sender_id && r.sender_id !== me && at) out.push({ type: "receipt.watermark", contactExternalId: r.sender_id, status: "read", before: at });
  }
  const known = new Set(["for_user_id", "user_has_blocked", "users", "apps", "direct_message_events", "direct_message_mark_read_events", "tweet_create_events", "tweet_delete_events"]);
  const others = Object.keys(a).filter((k) => !known.has(k));
  if (others.length) out.push({ type: "ignored", reason: `X ${others.join(", ")} not used by Parley` });
  return out.length ? out : [{ type: "ignored", reason: "X delivery with no events" }];
}

function directMessage(me: string, e: XDmEvent, users: Record<string, XUser>): NormalizedEventInput[] {
  const mc = e.message_create;
  if (e.type !== "message_create" || !mc || !e.id) return [{ type: "ignored", reason: `X direct message event of type ${e.type ?? "unknown"}` }];
  const sender = String(mc.sender_id ?? "");
  const recipient = String(mc.target?.recipient_id ?? "");
  // X delivers the DMs the account sends too (through Parley or the X app): those are echoes.
  const ours = sender === me;
  const contactId = ours ? recipient : sender;
  if (!contactId) return [{ type: "ignored", reason: "X direct message without sender or recipient" }];
  const attachment = mc.message_data?.attachment?.media;
  return [
    {
      type: "message",
      thread: { kind: "dm", key: `contact:${contactId}` },
      contact: contactOf(contactId, users[contactId]),
      message: {
        externalId: String(e.id),
        text: mc.message_data?.text ?? "",
        direction: ours ? "out" : "in",
        attachments: attachment ? mediaOf([attachment]) : undefined,
        meta: users[contactId]?.screen_name ? { screenName: users[contactId]!.screen_name } : undefined,
        occurredAt: whenMs(e.created_timestamp),
      },
    },
  ];
}

/**
 * Threads of posts. Parley cannot look up stored posts while normalizing, so the thread root is
 * decided from the post alone:
 * - a customer's post continuing their own thread (a reply to their own post) joins `post:<that parent>`;
 * - any other customer post (a fresh mention, a reply to the brand or to someone else) opens
 *   `post:<its own id>`, so two customers answering the same brand post never share a conversation;
 * - the account's own reply goes to `post:<the post it answers>`, where Parley's reply to a mention lives.
 * The parent id is kept as parentExternalId either way.
 */
function tweet(me: string, t: XTweet, userHasBlocked: XActivity["user_has_blocked"]): NormalizedEventInput[] {
  const id = t.id_str;
  const author = t.user?.id_str ?? t.user?.id;
  if (!id || !author) return [{ type: "ignored", reason: "X post without id or author" }];
  if (t.retweeted_status) return [{ type: "ignored", reason: `X repost ${id}` }];
  const text = (t.truncated && t.extended_tweet?.full_text) || t.text || "";
  const parent = t.in_reply_to_status_id_str ?? undefined;
  const media = mediaOf(t.extended_tweet?.extended_entities?.media ?? t.extended_entities?.media);
  const message = {
    externalId: id,
    text,
    parentExternalId: parent,
    attachments: media.length ? media : undefined,
    occurredAt: whenMs(t.timestamp_ms),
  };
  if (author === me) {
    const to = t.in_reply_to_user_id_str;
    if (!parent || !to || to === me) return [{ type: "ignored", reason: `the account's own X post ${id}` }];
    return [{ type: "message", thread: { kind: "mention", key: `post:${parent}` }, contact: { externalId: to }, message: { ...message, direction: "out" } }];
  }
  const root = parent && t.in_reply_to_user_id_str === author ? parent : id;
  const screenName = t.user?.screen_name;
  const events: NormalizedEventInput[] = [
    {
      type: "message",
      thread: {
        kind: "mention",
        key: `post:${root}`,
        context: root === id ? { postId: id, postText: text, author: screenName ?? null, postUrl: screenName ? `https://x.com/${screenName}/status/${id}` : null } : undefined,
      },
      contact: contactOf(author, t.user),
      message: { ...message, direction: "in", meta: screenName ? { screenName } : undefined },
    },
  ];
  // X's docs show the string "true"; some clients send a boolean.
  if (userHasBlocked === true || userHasBlocked === "true") {
    events.push({
      type: "contact.blocked",
      contactExternalId: author,
      blocked: true,
      reason: "This X user has blocked the account: X will refuse direct messages to them.",
    });
  }
  return events;
}
