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

/** Cuts a text to at most max characters at a sentence (or else word) boundary, marking the cut with "…". */
export function trimTo(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max);
  const sentence = Math.max(head.lastIndexOf(". "), head.lastIndexOf(".\n"), head.lastIndexOf("! "), head.lastIndexOf("? "));
  if (sentence >= max * 0.4) return sentence + 3 <= max ? `${text.slice(0, sentence + 1)} …` : text.slice(0, sentence + 1);
  const room = text.slice(0, max - 1);
  const cut = text[max - 1] === " " ? max - 1 : room.lastIndexOf(" ");
  return (cut >= max * 0.4 ? room.slice(0, cut) : room).trimEnd() + "…";
}

/**
 * The knowledge stage's answer: the article itself, title then body, as plain text within the
 * platform's limit (X mentions: 280 characters).
 */
export function articleAnswer(article: { title: string; body: string }, maxLength: number): string {
  const title = plainText(article.title);
  const body = plainText(article.body);
  const whole = `${title}\n\n${body}`;
  if (whole.length <= maxLength) return whole;
  if (title.length + 3 >= maxLength * 0.5) return trimTo(body, maxLength);
  return `${title}\n\n${trimTo(body, maxLength - title.length - 2)}`;
}
