import type { LengthUnit } from "../../shared/text-length.js";
import type { Platform } from "../../shared/schemas/common.js";
import type { NormalizedEventInput } from "../../shared/schemas/normalized.js";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { TargetPolicy } from "../security/address-policy.js";

export type ConversationKind = "dm" | "comment" | "mention" | "review";
export type Surface = "reply" | "private_reply" | "template";
export type ModerationAction = "hide" | "unhide" | "delete";

/** What a platform allows, per kind of thread. Checked before an agent's reply or action is accepted. */
export type Capabilities = {
  /** Reply surfaces per conversation kind; a kind missing here cannot be answered. */
  surfaces: Partial<Record<ConversationKind, Surface[]>>;
  /** Moderation actions on a customer's public message, per conversation kind. */
  moderation: Partial<Record<ConversationKind, ModerationAction[]>>;
  /** The platform's reply window on DMs: hours after the customer's last message; null = none. */
  replyWindowHours: number | null;
  /** Meta's HUMAN_AGENT tag: a person may still reply up to this many hours (when the channel enables it). */
  humanAgentWindowHours?: number;
  /** Private replies to a public comment: at most one, within this many days of the comment. */
  privateReplyDays?: number;
  maxLength: number;
  /** What maxLength counts: characters unless the platform counts otherwise (Google: bytes; X's posts: weighted). */
  lengthUnit?: LengthUnit;
  /** Where a platform's limits differ by kind (X: 10,000 characters in DMs, 280 weighted in posts). */
  maxLengthByKind?: Partial<Record<ConversationKind, number>>;
  lengthUnitByKind?: Partial<Record<ConversationKind, LengthUnit>>;
  /** Files a reply may carry, per kind (absent: none). The one source of ReplyOptions.attachments. */
  attachments?: Partial<Record<ConversationKind, AttachmentRules>>;
};

/** What files a platform takes on a reply: MIME rules (each with its own size cap) and how many per reply. */
export type AttachmentRules = { rules: Array<{ accept: string[]; maxBytes: number; label: string }>; maxCount: number };

/** A file sent with a reply: its bytes on demand, or a signed link (valid MEDIA_LINK_TTL_SECONDS) for platforms that fetch by URL. */
export type OutboundAttachment = {
  id: string;
  type: "image" | "video" | "audio" | "file";
  name: string;
  mimeType: string;
  size: number;
  read(): Promise<Buffer>;
  url: string;
};

/** Where an inbound file is on the platform: a URL, or an id to resolve (WhatsApp media id, Telegram file_id). */
export type MediaSource = { type: string; url?: string | null; ref?: string; mimeType?: string; name?: string };

/** A fetched file's bytes as a stream, or why not (retryable: try again later). */
export type MediaFetch =
  | { ok: true; body: AsyncIterable<Uint8Array>; mimeType: string | null; size: number | null; name?: string }
  | { ok: false; retryable: boolean; reason: string };

/** A channel as a connector sees it: settings in clear, secrets decrypted. Never log `secrets`. */
export type ChannelRuntime<Settings = Record<string, unknown>, Secrets = Record<string, string>> = {
  id: string;
  workspaceId: string;
  platform: Platform;
  accountId: string | null;
  settings: Settings;
  secrets: Secrets;
};

export type ConnectorEnv = {
  config: Config;
  log: Logger;
  /** The platform's API base URL (an environment setting; the demo's local fakes for PARLEY_DEMO channels). */
  baseUrl(channel: ChannelRuntime<any, any>): string;
  /** Where this channel's outbound calls may go: pass it to callPlatform. */
  targets(channel: ChannelRuntime<any, any>): TargetPolicy;
};

export type OutboundMessage = {
  messageId: string;
  conversationId: string;
  kind: ConversationKind;
  /** The conversation's thread key, e.g. `comment:<root comment id>`. */
  threadKey: string;
  /** The customer's id on the platform (PSID, IGSID, wa_id, X user id, Telegram chat id, …). */
  contactExternalId: string;
  surface: Surface;
  text: string;
  author: "agent" | "bot" | "system";
  /** The message this reply answers: the latest customer message in the thread (comment id, tweet id, review id, mid). */
  replyToExternalId: string | null;
  /** The thread's root (root comment id, mentioned post id, review id). */
  rootExternalId: string | null;
  /** Outside the standard window but inside the human-agent one: send with the HUMAN_AGENT tag. */
  humanAgentTag: boolean;
  template?: { name: string; language: string; params: string[] };
  /** Files to send with the text (checked against the capabilities before the reply was accepted). */
  attachments: OutboundAttachment[];
  /**
   * A reply with files may take several platform calls (text, then each file). Parts already
   * accepted by the platform on an earlier attempt are skipped, so a retry never sends one twice.
   */
  partsSent: number;
};

export type SendFailure = {
  ok: false;
  /** Try again later (5xx, timeouts, rate limits). */
  retryable: boolean;
  /** Shown to the agent on the failed message: plain words, what happened and what to do. */
  reason: string;
  /** Wait at least this long before the next try (the platform's reset time). */
  retryAfterMs?: number;
  /** The platform refused our credentials: the channel needs reconnecting. */
  needsReconnect?: boolean;
  /** The platform says this customer cannot be messaged any more (blocked the bot, …). */
  contactBlocked?: boolean;
  /** The platform's own code, kept for support. */
  code?: string;
  /** Of a reply sent in several calls, how many were accepted before this failure (see OutboundMessage.partsSent). */
  partsSent?: number;
};

export type SendResult = { ok: true; externalId?: string } | SendFailure;

export type ModerationResult = { ok: true } | SendFailure;

/** One per platform: the connection settings, normalize, send, moderate. Webhook routes live beside it. */
export type Connector<Settings = Record<string, unknown>, Secrets = Record<string, string>> = {
  platform: Platform;
  label: string;
  capabilities: Capabilities;
  /** Which of the admin's config fields are secrets (encrypted, never returned). */
  secretFields: readonly string[];
  /** The account id that routes shared webhooks to this channel, from the admin's config. */
  accountIdOf(config: Record<string, unknown>): string | null;
  /** Setup steps shown on the admin page for this channel. */
  setupSteps(channel: { webhookUrl: string; settings: Settings }): string[];
  /** Per-channel send limits, to stay under the platform's documented rates. */
  rateLimits: Array<{
    limit: number;
    windowSeconds: number;
    /** Only sends in these kinds count; all when absent. */
    kinds?: ConversationKind[];
    /** Count per contact (e.g. Telegram's one message per second per chat) instead of per channel. */
    per?: "channel" | "contact";
  }>;
  /**
   * Turns one stored delivery (the channel's part of it) into normalized events. May call the
   * platform (e.g. fetch a review); throwing makes the ingest retry.
   */
  normalize(payload: string, channel: ChannelRuntime<Settings, Secrets>, env: ConnectorEnv): Promise<NormalizedEventInput[]>;
  send(channel: ChannelRuntime<Settings, Secrets>, msg: OutboundMessage, env: ConnectorEnv): Promise<SendResult>;
  /** Fetches an inbound file from the platform (absent: the platform gives no way to). */
  fetchMedia?(channel: ChannelRuntime<Settings, Secrets>, source: MediaSource, env: ConnectorEnv, opts: { maxBytes: number }): Promise<MediaFetch>;
  moderate?(
    channel: ChannelRuntime<Settings, Secrets>,
    req: { action: ModerationAction; kind: ConversationKind; externalId: string },
    env: ConnectorEnv,
  ): Promise<ModerationResult>;
};
