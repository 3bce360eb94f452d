import { findAny, normalizeText } from "../language/compile.js";
import { languagePacks } from "../language/index.js";

/** Markers that name the automation itself ("auto-reply", "out of office", "do not reply"), not only an absence. */
const automation = /auto|reply|office|antwort|abwesenheit|büro|respuesta|responda|oficina|réponse|répondre|bureau/u;

/**
 * An automated message (out of office, do-not-reply notices): answering it would start a bot-to-bot
 * loop. A marker that only says the writer is away ("I'm away until next Thursday") does not count
 * in a message that asks something with a question mark: that is a customer telling why they ask
 * ("… how long will you hold my order?").
 */
export function isAutoReply(text: string): boolean {
  const t = normalizeText(text);
  const asks = /[?？¿]/u.test(t);
  return languagePacks.some((p) => {
    const marker = findAny(t, p.autoReply);
    return marker !== null && (!asks || automation.test(marker));
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
