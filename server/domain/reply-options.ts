import type { ReplyOptions } from "../../shared/schemas/conversations.js";
import { connectorFor } from "../connectors/registry.js";
import type { Surface } from "../connectors/types.js";
import type { channels, contactIdentities } from "../db/schema.js";
import type { ListedConversation } from "./serialize.js";

type ChannelRow = typeof channels.$inferSelect;
/** What the reply options read of a channel (readers select only these: never its secrets). */
export type ReplyChannel = Pick<ChannelRow, "platform" | "settings" | "status" | "statusReason">;
type Identity = Pick<typeof contactIdentities.$inferSelect, "blockedAt" | "blockedReason"> | undefined;

const HOUR = 3600_000;
const platformName: Record<string, string> = {
  api: "The API channel",
  facebook: "Facebook",
  instagram: "Instagram",
  whatsapp: "WhatsApp",
  x: "X",
  telegram: "Telegram",
  google_reviews: "Google",
  trustpilot: "Trustpilot",
};

/**
 * What an agent may send in this conversation right now, given the platform's capabilities, its
 * reply windows, the one private reply a comment allows, and the contact's and channel's state.
 */
export function replyOptions(conv: ListedConversation, channel: ReplyChannel, identity: Identity, now = new Date()): ReplyOptions {
  const connector = connectorFor(channel.platform);
  const caps = connector.capabilities;
  const name = platformName[channel.platform] ?? channel.platform;
  const settings = channel.settings as { humanAgentTag?: boolean; templates?: ReplyOptions["templates"] };
  let surfaces: Surface[] = [...(caps.surfaces[conv.kind] ?? [])];
  let blockedReason: string | null = surfaces.length ? null : `${name} does not allow replies to this kind of conversation.`;
  let window: ReplyOptions["window"] = null;

  if (conv.kind === "dm" && caps.replyWindowHours) {
    const last = conv.lastCustomerMessageAt;
    const closesAt = last ? new Date(last.getTime() + caps.replyWindowHours * HOUR) : null;
    const extendedUntil =
      last && caps.humanAgentWindowHours && settings.humanAgentTag !== false ? new Date(last.getTime() + caps.humanAgentWindowHours * HOUR) : null;
    const open = Boolean(closesAt && now < closesAt);
    window = { hours: caps.replyWindowHours, closesAt: closesAt?.toISOString() ?? null, extendedUntil: extendedUntil?.toISOString() ?? null, open };
    if (!open) {
      const humanOpen = Boolean(extendedUntil && now < extendedUntil);
      if (surfaces.includes("template")) {
        const hasTemplates = (settings.templates?.length ?? 0) > 0;
        surfaces = hasTemplates ? ["template"] : [];
        blockedReason = hasTemplates
          ? `${name}'s ${caps.replyWindowHours}-hour window has closed: only an approved template can be sent until the customer writes again.`
          : `${name}'s ${caps.replyWindowHours}-hour window has closed and this channel has no approved templates: an admin can add them on the channel.`;
      } else if (humanOpen) {
        surfaces = surfaces.filter((s) => s === "reply");
        blockedReason = null; // a person may still answer, with the HUMAN_AGENT tag
      } else {
        surfaces = [];
        blockedReason = `${name}'s ${caps.replyWindowHours}-hour reply window has closed${
          extendedUntil ? " (and the 7-day human-agent window too)" : ""
        }: no message can be sent until the customer writes again.`;
      }
    } else {
      surfaces = surfaces.filter((s) => s !== "template" || (settings.templates?.length ?? 0) > 0);
    }
  } else {
    surfaces = surfaces.filter((s) => s !== "template");
  }

  if (surfaces.includes("private_reply")) {
    // Counted from when Parley first saw the comment; a comment delivered late is refused by the platform itself.
    const tooOld = caps.privateReplyDays && now.getTime() - conv.createdAt.getTime() > caps.privateReplyDays * 24 * HOUR;
    if (conv.privateReplyAt || tooOld) surfaces = surfaces.filter((s) => s !== "private_reply");
  }
  if (identity?.blockedAt && conv.kind === "dm") {
    surfaces = [];
    blockedReason = identity.blockedReason ?? "The customer can no longer be messaged on this channel.";
  }
  if (channel.status === "needs_reconnect") {
    surfaces = [];
    blockedReason = `This channel needs reconnecting: ${channel.statusReason ?? "the platform refused Parley's credentials"}. Ask an admin.`;
  }
  const files = caps.attachments?.[conv.kind];
  return {
    surfaces,
    // Files go with a normal reply only (not a private reply or a template).
    attachments:
      files && surfaces.includes("reply")
        ? {
            accept: [...new Set(files.rules.flatMap((r) => r.accept))],
            maxBytes: Math.max(...files.rules.map((r) => r.maxBytes)),
            maxCount: files.maxCount,
          }
        : null,
    moderation: [...(caps.moderation[conv.kind] ?? [])],
    maxLength: caps.maxLengthByKind?.[conv.kind] ?? caps.maxLength,
    lengthUnit: caps.lengthUnitByKind?.[conv.kind] ?? caps.lengthUnit ?? "characters",
    window,
    blockedReason,
    templates: channel.platform === "whatsapp" ? (settings.templates ?? []) : [],
  };
}
