import { handoffReasonWords } from "../shared/schemas/bots.js";
import { trimTo } from "./knowledge/answer.js";
import type { BotDecision, BotInput } from "./pipeline/types.js";

const quote = (text: string, max: number) => `“${trimTo(text.replace(/\s+/g, " ").trim(), max)}”`;

/**
 * The hand-off card's summary when no model writes one: what the customer wrote (latest first),
 * what the bot already said, and why it handed off. Plain, short, from the conversation itself.
 */
export function plainSummary(input: BotInput, decision: BotDecision & { kind: "handoff" }): string {
  const customer = input.history.filter((m) => m.author === "customer").map((m) => m.text).filter(Boolean);
  const bot = input.history.filter((m) => m.author === "bot").map((m) => m.text).filter(Boolean);
  const parts: string[] = [];
  const latest = input.message.text || (input.message.rating ? `${input.message.rating}-star review without text` : "");
  parts.push(`The customer wrote: ${latest ? quote(latest, 300) : "(no text)"}.`);
  if (customer.length) parts.push(`Earlier: ${customer.slice(-2).map((t) => quote(t, 140)).join(" ")}.`);
  parts.push(bot.length ? `The bot said: ${quote(bot[bot.length - 1]!, 200)}.` : "The bot had not answered yet.");
  parts.push(`Handed off: ${handoffReasonWords[decision.reason].toLowerCase()} (${decision.detail}).`);
  return parts.join(" ");
}
