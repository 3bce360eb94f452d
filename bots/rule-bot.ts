import type { BotRule, BotSettings } from "../shared/schemas/channels.js";

export type BotDecision =
  | { kind: "reply"; text: string; rule: string }
  | { kind: "handoff"; reason: "customer_request" | "no_match"; text: string | null }
  | { kind: "fallback"; text: string | null };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A keyword or phrase matches as whole words, ignoring case and extra spaces. */
function phraseMatches(phrase: string, text: string): boolean {
  const words = phrase.trim().split(/\s+/).map(escape).join("\\s+");
  return words.length > 0 && new RegExp(`(^|[^\\p{L}\\p{N}])${words}($|[^\\p{L}\\p{N}])`, "iu").test(text);
}

function ruleMatches(rule: BotRule, text: string): boolean {
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

/**
 * The rule bot: a request for a person hands off at once; otherwise the first enabled rule that
 * matches answers; otherwise a miss, and after `handoffAfterMisses` misses in a row, a hand-off.
 */
export function decide(text: string, rules: BotRule[], settings: BotSettings, missesSoFar: number): BotDecision {
  if (settings.handoffKeywords.some((k) => phraseMatches(k, text))) {
    return { kind: "handoff", reason: "customer_request", text: settings.handoffReply };
  }
  const rule = [...rules].sort((a, b) => a.position - b.position).find((r) => r.enabled && ruleMatches(r, text));
  if (rule) return { kind: "reply", text: rule.reply, rule: rule.name };
  if (missesSoFar + 1 >= settings.handoffAfterMisses) return { kind: "handoff", reason: "no_match", text: settings.handoffReply };
  return { kind: "fallback", text: settings.fallbackReply };
}
