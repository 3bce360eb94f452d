import { normalizeText, wordsOf } from "../language/compile.js";
import { languagePacks } from "../language/index.js";
import { conceptLexicon, framingWords } from "../language/lexicon.js";

/**
 * A concept before stemming: a word (or a synonym phrase) of the question, and its focus: 1 when it
 * is in what the customer asks, `CONTEXT` when it is only in the greeting or background around it.
 */
export type RawConcept = { word: string; numeric: boolean; focus: number };

export const fillerWords = [...new Set([...languagePacks.flatMap((p) => p.fillerWords), ...framingWords].map((w) => normalizeText(w)))];
/** Each pack's own synonym groups, and the cross-language concepts of bots/language/lexicon.ts. */
export const synonymGroups = [...languagePacks.flatMap((p) => p.synonyms), ...Object.values(conceptLexicon)].map((g) => [...new Set(g.map((w) => normalizeText(w)))]);
const questionWords = [...new Set(languagePacks.flatMap((p) => p.questionWords.map((w) => normalizeText(w))))].sort((a, b) => b.length - a.length);
const fillers = new Set(fillerWords);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const phraseRe = (phrase: string) => new RegExp(`(?<![\\p{L}\\p{N}])${escape(phrase)}(?![\\p{L}\\p{N}])`, "gu");
const connectors = new Set(["so", "and", "but", "also", "und", "aber", "y", "pero", "et", "mais", "alors"]);
const questionStart = new RegExp(`^(?:${questionWords.map(escape).join("|")})(?![\\p{L}\\p{N}'-])`, "u");

/**
 * How much a word outside the question counts. Chosen on the tuning sets (docs/bots.md,
 * "Evaluation"; 0.1, 0.2, 0.35 and 0.55 tried, lower was better on long messages and no worse on
 * short ones): "I've been eyeing your boots for weeks and finally ordered" must not outweigh "how long
 * will delivery take?"; the background still counts a little, for questions like "What should I do?".
 */
export const CONTEXT = 0.1;

/** The sentences of a message: split after . ! ? … and at line breaks; "?" stays with its sentence. */
export function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?…])\s+|\n+/u)
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

/**
 * Whether a sentence asks something: it ends with "?" (or opens with "¿"), or it starts with a
 * question or request word of any language pack once greetings and fillers are skipped
 * ("Hi, so how do I…", "Tell me…", "Wie lange…").
 */
export function isQuestion(sentence: string): boolean {
  const s = normalizeText(sentence);
  if (/[?？]\s*$/u.test(s) || s.startsWith("¿")) return true;
  const words = wordsOf(s);
  for (let i = 0; i < words.length; i++) {
    if (questionStart.test(words.slice(i).join(" "))) return true;
    // Question words can be fillers too ("tell", "wie"): test before skipping.
    if (!fillers.has(words[i]!) && !connectors.has(words[i]!)) return false;
  }
  return false;
}

/** Whether any sentence of a message asks something (a review that only praises asks nothing). */
export const asksSomething = (text: string) => sentencesOf(text).some(isQuestion);

/**
 * A word without its English contraction: "we're" → "we", "kid's" → "kid", and no word at all for
 * a negated auxiliary ("doesn't", "won't"). PostgreSQL would otherwise split "I'm" into "i" and "m"
 * and keep "m", "d", "ll", "doesn" or "won" as words no article uses, which then count against
 * every article, at full weight in the very sentence that asks.
 */
export function withoutContraction(word: string): string | null {
  if (/^\p{L}+n't$/u.test(word)) return null;
  return word.replace(/^(\p{L}+)'(?:m|d|ll|re|ve|s)$/u, "$1");
}

/**
 * Splits a question into concepts: synonym phrases first ("money back" is one concept), then each
 * remaining word. Fillers (please, want, hello…) are dropped here, stop words when PostgreSQL stems.
 * In a message of several sentences where some ask something and some do not, the words of the
 * asking sentences keep full weight and the others get `CONTEXT`; a word in both counts as asked.
 */
export function questionConcepts(question: string): RawConcept[] {
  const cleaned = question.replace(/@[\p{L}\p{N}_]+/gu, " ");
  const sentences = sentencesOf(cleaned);
  const asking = sentences.map(isQuestion);
  const focused = asking.some(Boolean) && !asking.every(Boolean);
  const byWord = new Map<string, RawConcept>();
  const add = (word: string, focus: number) => {
    const seen = byWord.get(word);
    if (seen) seen.focus = Math.max(seen.focus, focus);
    else byWord.set(word, { word, numeric: /^\d+$/.test(word), focus });
  };
  sentences.forEach((sentence, i) => {
    const focus = !focused || asking[i] ? 1 : CONTEXT;
    let text = ` ${normalizeText(sentence)} `;
    for (const entry of new Set(synonymGroups.flat().filter((e) => e.includes(" ")))) {
      if (!phraseRe(entry).test(text)) continue;
      add(entry, focus);
      text = text.replace(phraseRe(entry), " ");
    }
    for (const word of wordsOf(text).map(withoutContraction)) if (word && !fillers.has(word)) add(word, focus);
  });
  return [...byWord.values()];
}
