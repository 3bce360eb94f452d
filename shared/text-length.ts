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

/** The text's length in the platform's unit (bytes as UTF-8 encodes it; a lone surrogate as the 3 bytes of U+FFFD). */
export function lengthIn(text: string, unit: LengthUnit): number {
  if (unit === "characters") return text.length;
  if (unit === "weighted") {
    if (!parseTweet) throw new Error("X's count is not loaded: await loadUnit(\"weighted\") first");
    return parseTweet(text).weightedLength;
  }
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (isHigh(c) && isLow(text.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * How many UTF-16 code units of the text's start fit within `max` of the unit, never cutting a
 * character made of two code units (an emoji) in half.
 */
export function prefixWithin(text: string, max: number, unit: LengthUnit): number {
  if (unit === "weighted") return weightedPrefix(text, max);
  let used = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const pair = isHigh(c) && isLow(text.charCodeAt(i + 1));
    const units = pair ? 2 : 1;
    const cost = unit === "characters" ? units : c < 0x80 ? 1 : c < 0x800 ? 2 : pair ? 4 : 3;
    if (used + cost > max) break;
    used += cost;
    i += units;
  }
  return i;
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
    const end = isLow(text.charCodeAt(mid)) && isHigh(text.charCodeAt(mid - 1)) ? mid - 1 : mid;
    if (end > lo && lengthIn(text.slice(0, end), "weighted") <= max) lo = end;
    else hi = mid - 1;
  }
  return lo;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
