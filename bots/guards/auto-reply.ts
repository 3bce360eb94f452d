import { findAny, normalizeText } from "../language/compile.js";
import { languagePacks } from "../language/index.js";

/** Markers that name the automation itself ("auto-reply", "out of office", "do not reply"), not only an absence. */
const automation = /auto|reply|office|antwort|abwesenheit|büro|respuesta|responda|oficina|réponse|répondre|bureau/u;

/**
 * An automated message (out of office, do-not-reply notices): answering it would start a bot-to-bot
 * loop. In a message that asks something with a question mark, a marker counts only when it names the
 * automation and opens the message ("Automatic reply: …"): elsewhere it is a customer telling why they
 * ask ("I'm away until Thursday, how long will you hold my order?") or what they do not want ("is there
 * a human I can write to? not the auto-reply please"), and staying silent would leave them unanswered.
 * (An automated message that slips through still meets the loop cool-down below.)
 */
export function isAutoReply(text: string): boolean {
  const t = normalizeText(text);
  const asks = /[?？¿]/u.test(t);
  return languagePacks.some((p) => {
    const marker = findAny(t, p.autoReply);
    if (marker === null) return false;
    if (!asks) return true;
    return automation.test(marker) && t.replace(/^[^\p{L}\p{N}]+/u, "").startsWith(marker);
  });
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
