import { lengthIn, prefixWithin, type LengthUnit } from "../../shared/text-length.js";

/** Markdown that chat platforms would show raw, as plain text: links keep their address, emphasis goes. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[a-z]*\n?([\s\S]*?)```/g, "$1")
    .replace(/!\[([^\]]*)\]\(([^)]+)\)/g, "$1 ($2)")
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, "$1 ($2)")
    .replace(/^#{1,6}\s+/gm, "")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^\w*])[*_]([^*_\n]+)[*_](?=[^\w*]|$)/g, "$1$2")
    .replace(/`([^`]+)`/g, "$1")
    .replace(/^[ \t]*[*+][ \t]+/gm, "- ")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * Cuts a text to at most max of the unit (characters, or UTF-8 bytes where the platform counts those)
 * at a sentence (or else word) boundary, marking the cut with "…".
 */
export function trimTo(text: string, max: number, unit: LengthUnit = "characters"): string {
  if (lengthIn(text, unit) <= max) return text;
  const head = text.slice(0, prefixWithin(text, max, unit));
  const sentence = Math.max(head.lastIndexOf(". "), head.lastIndexOf(".\n"), head.lastIndexOf("! "), head.lastIndexOf("? "));
  if (sentence >= head.length * 0.4) {
    const whole = text.slice(0, sentence + 1);
    return lengthIn(`${whole} …`, unit) <= max ? `${whole} …` : whole;
  }
  const room = text.slice(0, prefixWithin(text, max - lengthIn("…", unit), unit));
  const cut = text[room.length] === " " ? room.length : room.lastIndexOf(" ");
  return (cut >= head.length * 0.4 ? room.slice(0, cut) : room).trimEnd() + "…";
}

/**
 * The knowledge stage's answer: the article itself, title then body, as plain text within the
 * platform's limit (X mentions: 280 characters).
 */
export function articleAnswer(article: { title: string; body: string }, maxLength: number, unit: LengthUnit = "characters"): string {
  const title = plainText(article.title);
  const body = plainText(article.body);
  const whole = `${title}\n\n${body}`;
  if (lengthIn(whole, unit) <= maxLength) return whole;
  const titled = lengthIn(title, unit);
  if (titled + 3 >= maxLength * 0.5) return trimTo(body, maxLength, unit);
  return `${title}\n\n${trimTo(body, maxLength - titled - 2, unit)}`;
}
