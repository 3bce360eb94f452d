import type { ConversationSummary, Platform } from "../../../shared/schemas/index.js";

export type ConversationKind = ConversationSummary["kind"];

/** How the console names each platform, and the short mark and colour of its icon. */
export const platformInfo: Record<Platform, { label: string; mark: string; color: string }> = {
  api: { label: "API", mark: "{}", color: "#4b5563" },
  facebook: { label: "Facebook", mark: "f", color: "#1877f2" },
  instagram: { label: "Instagram", mark: "IG", color: "#c13584" },
  whatsapp: { label: "WhatsApp", mark: "WA", color: "#128c4a" },
  x: { label: "X", mark: "X", color: "#111111" },
  telegram: { label: "Telegram", mark: "TG", color: "#2481cc" },
  google_reviews: { label: "Google reviews", mark: "G", color: "#d93025" },
  trustpilot: { label: "Trustpilot", mark: "TP", color: "#00875a" },
};

export const platformLabel = (p: Platform): string => platformInfo[p]?.label ?? p;

export const kindLabels: Record<ConversationKind, string> = {
  dm: "DM",
  comment: "Comment",
  mention: "Mention",
  review: "Review",
};

/** Platforms whose @handle has a public profile page, and its address. */
const profilePages: Partial<Record<Platform, string>> = { x: "https://x.com/", telegram: "https://t.me/", instagram: "https://instagram.com/" };

/**
 * The public profile page of an identity's handle (`@name` on X, Telegram, Instagram), or null where
 * the platform has none or the handle is not a plain username (it comes from the platform: never a path).
 */
export function profileUrl(platform: Platform, handle: string | null): string | null {
  const base = profilePages[platform];
  const name = handle?.startsWith("@") ? handle.slice(1) : null;
  if (!base || !name || !/^[A-Za-z0-9_.]{1,64}$/.test(name)) return null;
  return base + name;
}

/** Meta's products share one webhook, handshake and verify token. */
export const isMetaPlatform = (p: Platform): boolean => p === "facebook" || p === "instagram" || p === "whatsapp";
