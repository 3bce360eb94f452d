import { normalizeText, wordsOf } from "../language/compile.js";
import { languagePacks } from "../language/index.js";

/** A concept before stemming: a word (or a synonym phrase) of the question. */
export type RawConcept = { word: string; numeric: boolean };

export const fillerWords = [...new Set(languagePacks.flatMap((p) => p.fillerWords.map((w) => normalizeText(w))))];
export const synonymGroups = languagePacks.flatMap((p) => p.synonyms.map((g) => g.map((w) => normalizeText(w))));
const fillers = new Set(fillerWords);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const phraseRe = (phrase: string) => new RegExp(`(?<![\\p{L}\\p{N}])${escape(phrase)}(?![\\p{L}\\p{N}])`, "gu");

/**
 * Splits a question into concepts: synonym phrases first ("money back" is one concept), then each
 * remaining word. Fillers (please, want, hello…) are dropped here, stop words when PostgreSQL stems.
 */
export function questionConcepts(question: string): RawConcept[] {
  let text = ` ${normalizeText(question).replace(/@[\p{L}\p{N}_]+/gu, " ")} `;
  const concepts: RawConcept[] = [];
  for (const entry of new Set(synonymGroups.flat().filter((e) => e.includes(" ")))) {
    if (!phraseRe(entry).test(text)) continue;
    concepts.push({ word: entry, numeric: false });
    text = text.replace(phraseRe(entry), " ");
  }
  const seen = new Set(concepts.map((c) => c.word));
  for (const word of wordsOf(text)) {
    if (fillers.has(word) || seen.has(word)) continue;
    seen.add(word);
    concepts.push({ word, numeric: /^\d+$/.test(word) });
  }
  return concepts;
}
