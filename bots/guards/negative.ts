import { compileAny, normalizeText } from "../language/compile.js";
import { languagePacks } from "../language/index.js";

const angryEmoji = /[\u{1F620}\u{1F621}\u{1F92C}\u{1F44E}\u{1F4A9}\u{1F92E}\u{1F624}]/gu;

/** How clearly negative a text is: strong words 2, mild words 1, angry emoji 2, "!!" 1. */
export function negativityScore(text: string): number {
  const t = normalizeText(text);
  let score = 0;
  for (const pack of languagePacks) {
    score += 2 * count(t, pack.negative.strong) + count(t, pack.negative.mild);
  }
  score += 2 * (text.match(angryEmoji)?.length ?? 0);
  if (/!{2,}/.test(text)) score += 1;
  return score;
}

function count(text: string, patterns: string[]): number {
  if (patterns.length === 0) return 0;
  const re = new RegExp(compileAny(patterns).source, "gu");
  return text.match(re)?.length ?? 0;
}

/** A clearly negative public comment or mention: a strong word, or several milder signs. */
export const isNegativeText = (text: string) => negativityScore(text) >= 2;

export type NegativeCheck = { negative: boolean; why: string | null };

/**
 * Negative reviews and public comments are never answered by a bot: reviews with `maxStars` or fewer
 * stars, and reviews, comments and mentions whose text is clearly negative. DMs are not public, so
 * this check leaves them to the other stages.
 */
export function checkNegative(kind: "dm" | "comment" | "mention" | "review", rating: number | null, text: string, maxStars: number): NegativeCheck {
  if (kind === "dm") return { negative: false, why: null };
  if (kind === "review" && rating !== null && rating <= maxStars) return { negative: true, why: `a ${rating}-star review` };
  if (isNegativeText(text)) return { negative: true, why: `a negative ${kind === "review" ? "review" : `public ${kind}`}` };
  return { negative: false, why: null };
}
