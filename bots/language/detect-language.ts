import { wordsOf } from "./compile.js";
import { languagePacks } from "./index.js";

export type DetectedLanguage = { code: string | null; confident: boolean };

/**
 * Guesses a message's language from its common words and typical letters. Short messages often
 * give no clear answer: then `confident` is false and callers should not rely on it.
 */
export function detectLanguage(text: string): DetectedLanguage {
  const words = wordsOf(text);
  if (words.length === 0) return { code: null, confident: false };
  const scores = languagePacks.map((pack) => {
    const stop = new Set(pack.stopwords);
    let score = words.filter((w) => stop.has(w)).length;
    if (pack.letters) score += [...text.toLowerCase()].filter((ch) => pack.letters!.includes(ch)).length * 1.5;
    return { code: pack.code, score };
  });
  scores.sort((a, b) => b.score - a.score);
  const [best, second] = scores;
  if (!best || best.score === 0) return { code: null, confident: false };
  const margin = best.score - (second?.score ?? 0);
  return { code: best.code, confident: best.score >= 1.5 && margin >= 1 };
}
