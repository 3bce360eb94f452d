import { compileAny, normalizeText, wordsOf } from "../language/compile.js";
import { languagePacks } from "../language/index.js";

/**
 * "Thanks, that helped!" / "Danke, das war's": the customer closes the conversation. Only short
 * messages made of a closing phrase and small words count; "thanks, but where is my order?" does not.
 */
export function isClosing(text: string): boolean {
  if (text.includes("?")) return false;
  const t = normalizeText(text);
  if (wordsOf(t).length > 12) return false;
  for (const pack of languagePacks) {
    const phrases = new RegExp(compileAny(pack.closing.phrases).source, "gu");
    if (!phrases.test(t)) continue;
    const rest = wordsOf(t.replace(phrases, " "));
    const extras = new Set(languagePacks.flatMap((p) => [...p.closing.extras, ...p.closing.phrases]));
    if (rest.every((w) => extras.has(w))) return true;
  }
  return false;
}
