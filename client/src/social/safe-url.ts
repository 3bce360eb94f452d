/**
 * A link target from platform data (a post's permalink, an attachment), or null when it is not a
 * plain http(s) address: customer-controlled text never becomes a `javascript:` link.
 */
export function safeUrl(value: unknown): string | null {
  if (typeof value !== "string" || !value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}
