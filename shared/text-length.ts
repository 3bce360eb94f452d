/**
 * How a platform counts a reply's length. Most count characters, as JavaScript does (UTF-16 code
 * units: what `text.length` gives and what the composer always counted). Google's review replies are
 * limited in UTF-8 bytes, so a letter outside ASCII counts two to four there.
 */
export type LengthUnit = "characters" | "bytes";

/** The text's length in the platform's unit (bytes as UTF-8 encodes it; a lone surrogate as the 3 bytes of U+FFFD). */
export function lengthIn(text: string, unit: LengthUnit): number {
  if (unit === "characters") return text.length;
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

/** The limit in words for people: "280 characters", "4096 bytes". */
export const limitInWords = (max: number, unit: LengthUnit) => `${max} ${unit}`;

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
