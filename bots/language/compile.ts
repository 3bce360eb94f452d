/** Lower case, composed accents, straight apostrophes, single spaces: the form every pattern is matched against. */
export function normalizeText(text: string): string {
  return text
    .normalize("NFC")
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

/** The words of a text: letters, digits and inner apostrophes or hyphens. */
export function wordsOf(text: string): string[] {
  return normalizeText(text).match(/[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu) ?? [];
}

const L = "[\\p{L}\\p{N}]";
const cache = new Map<string, RegExp>();

/**
 * One regex for a list of pattern sources, each matched as whole words (JavaScript's `\b` knows
 * only ASCII letters, so "Kündigung" would break it). `{person}` is replaced by `persons`.
 */
export function compileAny(patterns: string[], persons: string[] = []): RegExp {
  const key = JSON.stringify([patterns, persons]);
  let re = cache.get(key);
  if (!re) {
    const person = `(?:${persons.join("|")})`;
    const body = patterns.map((p) => `(?:${p.replaceAll("{person}", person)})`).join("|") || "(?!)";
    re = new RegExp(`(?<!${L})(?:${body})(?!${L})`, "u");
    cache.set(key, re);
  }
  return re;
}

/** The first match of any pattern in the (normalized) text, or null. */
export function findAny(text: string, patterns: string[], persons: string[] = []): string | null {
  const m = compileAny(patterns, persons).exec(text);
  return m ? m[0] : null;
}
