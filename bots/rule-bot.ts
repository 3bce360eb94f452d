import type { BotRule } from "../shared/schemas/bots.js";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A keyword or phrase matches as whole words, ignoring case and extra spaces. */
function phraseMatches(phrase: string, text: string): boolean {
  const words = phrase.trim().split(/\s+/).map(escape).join("\\s+");
  return words.length > 0 && new RegExp(`(^|[^\\p{L}\\p{N}])${words}($|[^\\p{L}\\p{N}])`, "iu").test(text);
}

export function ruleMatches(rule: BotRule, text: string): boolean {
  if (rule.matchType === "regex") {
    try {
      return new RegExp(rule.pattern, "iu").test(text);
    } catch {
      return false;
    }
  }
  // A keyword rule may list alternatives separated by commas.
  return rule.pattern.split(",").some((p) => p.trim() && phraseMatches(p, text));
}

/** The rules stage: the first enabled rule, in order, that matches the message. */
export function matchRule(rules: BotRule[], text: string): BotRule | null {
  return [...rules].sort((a, b) => a.position - b.position).find((r) => r.enabled && ruleMatches(r, text)) ?? null;
}
