/**
 * Checks and clean-ups for input nobody should trust: webhook bodies, API bodies, platform text.
 * Everything here is iterative, so hostile nesting cannot exhaust the stack.
 */

/** Deeper than any real platform payload (Meta's are about 8 levels), far below what breaks a recursive walk. */
export const MAX_JSON_DEPTH = 64;

/** Text PostgreSQL refuses in `text` and `jsonb`: the NUL character. */
const NUL = /\u0000/g;

/**
 * True when the JSON text nests arrays and objects deeper than `max`, by a linear scan of the bytes
 * (brackets inside strings are skipped), before anything parses or walks it.
 */
export function jsonTooDeep(body: Buffer | string, max = MAX_JSON_DEPTH): boolean {
  const buf = typeof body === "string" ? Buffer.from(body, "utf8") : body;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

export const hasNulByte = (body: Buffer) => body.includes(0);

/** A UTF-16 surrogate without its pair: not text, and jsonb refuses its escape. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A string PostgreSQL will store: NUL removed, lone surrogates replaced with U+FFFD. */
export function cleanText(s: string): string {
  const noNul = s.includes("\u0000") ? s.replace(NUL, "") : s;
  return noNul.replace(LONE_SURROGATE, "\uFFFD");
}

/** True when a string would be refused or altered by PostgreSQL. */
export const unstorableText = (s: string) => s.includes("\u0000") || new RegExp(LONE_SURROGATE.source).test(s);

/** A copy of a JSON-like value with every string (keys too) cleaned; iterative. */
export function cleanDeep<T>(value: T): T {
  if (typeof value === "string") return cleanText(value) as T;
  if (!value || typeof value !== "object") return value;
  const root: unknown = Array.isArray(value) ? [] : {};
  const stack: Array<[unknown, Record<string, unknown> | unknown[]]> = [[value, root as Record<string, unknown>]];
  while (stack.length) {
    const [src, dst] = stack.pop()!;
    for (const [k, v] of Object.entries(src as object)) {
      let out: unknown = v;
      if (typeof v === "string") out = cleanText(v);
      else if (v && typeof v === "object" && !(v instanceof Date)) {
        out = Array.isArray(v) ? [] : {};
        stack.push([v, out as Record<string, unknown>]);
      }
      if (Array.isArray(dst)) dst[Number(k)] = out;
      else dst[cleanText(k)] = out;
    }
  }
  return root as T;
}

/**
 * A platform's or a callback's words, made safe to show an agent: control characters and markup
 * brackets removed, whitespace collapsed, bounded length. Never pass a raw response body here whole:
 * pick the platform's error message field first.
 */
export function sanitizeReason(text: string, max = 300): string {
  const flat = cleanText(text)
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, " ")
    .replace(/[<>]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * An error message fit for a log line: quoted parts (where PostgreSQL, JSON.parse and zod quote the
 * data they choke on) are dropped, so customer text and SQL parameters never reach the logs.
 */
export function logSafeMessage(message: string, max = 300): string {
  return sanitizeReason(message.replace(/"(?:[^"\\]|\\.)*"/g, '"…"').replace(/'(?:[^'\\]|\\.)*'/g, "'…'").replace(/`[^`]*`/g, "`…`"), max);
}

const hexAt = (buf: Buffer, i: number) => {
  const s = buf.toString("latin1", i, i + 4);
  return /^[0-9a-fA-F]{4}$/.test(s) ? parseInt(s, 16) : -1;
};

/**
 * True when JSON text holds a string PostgreSQL cannot store: a `\u0000` escape, or a `\uD800`-style
 * escape of half a surrogate pair. Scanned on the raw bytes (escaped backslashes are skipped), so
 * the answer can be a 400 before the body is parsed.
 */
export function jsonHasUnstorableEscapes(buf: Buffer): boolean {
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (!inString) {
      if (c === 0x22) inString = true;
      continue;
    }
    if (c === 0x22) inString = false;
    else if (c === 0x5c) {
      if (buf[i + 1] === 0x75) {
        const code = hexAt(buf, i + 2);
        if (code === 0) return true;
        if (code >= 0xd800 && code <= 0xdbff) {
          const low = buf[i + 6] === 0x5c && buf[i + 7] === 0x75 ? hexAt(buf, i + 8) : -1;
          if (low < 0xdc00 || low > 0xdfff) return true;
          i += 6;
        } else if (code >= 0xdc00 && code <= 0xdfff) return true;
        i += 5;
      } else i++;
    }
  }
  return false;
}
