import type { LengthUnit } from "./schemas/conversations.js";

export type { LengthUnit };

/**
 * How a platform counts a reply's length (LengthUnit):
 * - characters: as JavaScript counts them (UTF-16 code units: what `text.length` gives), for most;
 * - bytes: UTF-8 bytes, for Google's review replies (a Japanese character is three);
 * - weighted: X's count for posts, by its own library (twitter-text): Latin letters and common
 *   punctuation count one, CJK characters and other scripts two, an emoji two however many code
 *   points it takes, and any link 23, whatever its length.
 */
type ParseTweet = (text: string) => { weightedLength: number };
let parseTweet: ParseTweet | null = null;

/**
 * Loads what counting in the unit needs: X's library takes about 0.1 s to load (and is a chunk of its
 * own in the console), so only the places that count an X post load it, before lengthIn.
 */
export async function loadUnit(unit: LengthUnit): Promise<void> {
  if (unit === "weighted" && !parseTweet) parseTweet = (await import("twitter-text")).default.parseTweet;
}

/** Whether lengthIn can count in the unit now (see loadUnit). */
export const unitReady = (unit: LengthUnit) => unit !== "weighted" || parseTweet !== null;

const utf8 = new TextEncoder();

/** The text's length in the platform's unit (bytes as UTF-8 encodes it; a lone surrogate as the 3 bytes of U+FFFD). */
export function lengthIn(text: string, unit: LengthUnit): number {
  if (unit === "characters") return text.length;
  if (unit === "bytes") return utf8.encode(text).length;
  if (!parseTweet) throw new Error("X's count is not loaded: await loadUnit(\"weighted\") first");
  return parseTweet(text).weightedLength;
}

/**
 * How many UTF-16 code units of the text's start fit within `max` of the unit, never cutting a
 * character made of two code units (an emoji) in half.
 */
export function prefixWithin(text: string, max: number, unit: LengthUnit): number {
  if (unit === "weighted") return weightedPrefix(text, max);
  // encodeInto stops before a character whose bytes would not all fit, and says how much it read.
  if (unit === "bytes") return utf8.encodeInto(text, new Uint8Array(Math.max(0, max))).read;
  const n = Math.max(0, Math.min(max, text.length));
  return n < text.length && splitsPair(text, n) ? n - 1 : n;
}

/** The unit in words for people: "characters", "bytes", "characters as X counts them". */
export const unitInWords = (unit: LengthUnit) => (unit === "weighted" ? "characters as X counts them" : unit);

/** A limit in words for people: "280 characters", "4096 bytes", or X's with how it counts. */
export function limitInWords(max: number, unit: LengthUnit): string {
  return `${max} ${unitInWords(unit)}${unit === "weighted" ? " (links 23, CJK characters and emoji 2)" : ""}`;
}

/**
 * The longest start that X's count keeps within max. Its count grows with the text, except where a
 * longer start turns into a link (23 however long): a binary search then finds a start that fits,
 * if not always the very longest.
 */
function weightedPrefix(text: string, max: number): number {
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const end = splitsPair(text, mid) ? mid - 1 : mid;
    if (end > lo && lengthIn(text.slice(0, end), "weighted") <= max) lo = end;
    else hi = mid - 1;
  }
  return lo;
}

/** Whether cutting the text before index i would split a surrogate pair (an emoji's two code units). */
function splitsPair(text: string, i: number): boolean {
  const before = text.charCodeAt(i - 1);
  const after = text.charCodeAt(i);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}
