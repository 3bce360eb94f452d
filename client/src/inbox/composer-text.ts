import { NOTE_TEXT_MAX } from "../../../shared/schemas/index.js";

/**
 * The longest note the API takes, from the shared schema (notes have no platform limit; replies use
 * replyOptions.maxLength). One source each: no number typed in twice.
 */
export const NOTE_MAX: number = NOTE_TEXT_MAX;

/** The word being typed just before the caret when it starts with a trigger ("/" or "@"). */
export function tokenAt(text: string, caret: number, trigger: "/" | "@"): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const re = trigger === "/" ? /(^|\s)\/([a-z0-9_-]{0,32})$/i : /(^|\s)@([\p{L}\p{N}_.-]{0,40})$/u;
  const m = re.exec(before);
  if (!m) return null;
  return { start: before.length - m[2]!.length - 1, query: m[2]! };
}

/** Replaces text[start, caret) with `insert`, returning the new text and caret. */
export function replaceRange(text: string, start: number, caret: number, insert: string): { text: string; caret: number } {
  return { text: text.slice(0, start) + insert + text.slice(caret), caret: start + insert.length };
}

/** The teammates still @mentioned in the text (a mention deleted from the text is not sent). */
export function mentionedIds(text: string, picked: Map<string, string>): string[] {
  const ids = new Set<string>();
  for (const [name, id] of picked) if (text.includes(`@${name}`)) ids.add(id);
  return [...ids];
}

/** Whether a file is of a type the surface accepts (MIME types or patterns such as image/*). */
export function accepts(accept: string[], type: string): boolean {
  if (accept.length === 0) return true;
  return accept.some((a) => (a.endsWith("/*") ? type.startsWith(a.slice(0, -1)) : a === type));
}
