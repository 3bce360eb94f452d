import { findAny, normalizeText, wordsOf } from "../language/compile.js";
import { languagePacks } from "../language/index.js";

export type HandoffRequest = { language: string; how: "request" | "anti_bot" | "short" | "phrase"; match: string };

/**
 * Does the customer ask for a person? Not a bare keyword: a person word counts only inside a request
 * ("can I talk to a real person", "Bitte einen Mitarbeiter"), against the bot ("kein Bot!"), or as a
 * message of its own ("AGENT", "human please"). "My delivery agent left the parcel outside" is none
 * of these. Every language pack is tried: customers mix languages. `phrases` are the channel's own
 * extra hand-off phrases, matched as whole words.
 */
export function detectHandoffRequest(text: string, phrases: string[] = []): HandoffRequest | null {
  const t = normalizeText(text);
  for (const pack of languagePacks) {
    const { persons, requests, antiBot, politeness } = pack.handoff;
    const request = findAny(t, requests, persons);
    if (request) return { language: pack.code, how: "request", match: request };
    const against = findAny(t, antiBot);
    if (against) return { language: pack.code, how: "anti_bot", match: against };
    // A short message, or a sentence of its own, made only of a person word and politeness: "AGENT!",
    // "Mitarbeiter bitte", "Bitte einen Mitarbeiter. Der Bot versteht mich nicht."
    for (const sentence of sentencesOf(t)) {
      const words = wordsOf(sentence);
      if (words.length === 0 || words.length > 5) continue;
      const rest = words.filter((w) => !politeness.includes(w)).join(" ");
      if (rest && findAny(rest, [`(?:${persons.join("|")})(?: (?:${persons.join("|")}))*`]) === rest) {
        return { language: pack.code, how: "short", match: rest };
      }
    }
  }
  const escaped = phrases.map((p) => p.trim()).filter(Boolean).map((p) => normalizeText(p).replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+"));
  const phrase = escaped.length ? findAny(t, escaped) : null;
  return phrase ? { language: "custom", how: "phrase", match: phrase } : null;
}

/** The message and each of its sentences (split at . ! ? ; and line breaks). */
function sentencesOf(text: string): string[] {
  const parts = text.split(/[.!?¡¿;\n]+/u).map((p) => p.trim()).filter(Boolean);
  return parts.length > 1 ? [text, ...parts] : [text];
}
