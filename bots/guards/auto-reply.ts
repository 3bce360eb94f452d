import { findAny, normalizeText } from "../language/compile.js";
import { languagePacks } from "../language/index.js";

/** An automated message (out of office, do-not-reply notices): answering it would start a bot-to-bot loop. */
export function isAutoReply(text: string): boolean {
  const t = normalizeText(text);
  return languagePacks.some((p) => findAny(t, p.autoReply) !== null);
}

/**
 * The loop cool-down: more than `maxReplies` bot replies in the last `windowSeconds` means the bot is
 * talking to another bot (or a script); it must stop and let a person look.
 */
export function inLoop(recentBotReplies: Date[], now: Date, windowSeconds: number, maxReplies: number): boolean {
  if (windowSeconds <= 0) return false;
  const since = now.getTime() - windowSeconds * 1000;
  return recentBotReplies.filter((d) => d.getTime() >= since).length >= maxReplies;
}
