import type OpenAI from "openai";
import type { BotInput } from "../pipeline/types.js";
import { limitInWords } from "../../shared/text-length.js";

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;
export type PromptArticle = { id: string; title: string; body: string; language: string };

const languageNames: Record<string, string> = { en: "English", de: "German", fr: "French", es: "Spanish", it: "Italian", nl: "Dutch", pt: "Portuguese", pl: "Polish", sv: "Swedish", da: "Danish", tr: "Turkish" };
const platformNames: Record<string, string> = { api: "the website chat", facebook: "Facebook", instagram: "Instagram", whatsapp: "WhatsApp", x: "X", telegram: "Telegram", google_reviews: "Google reviews", trustpilot: "Trustpilot" };
const kindWords = { dm: "a private message", comment: "a public comment", mention: "a public mention", review: "a public review" };

/** The rules the model answers by; docs/bots.md shows them as part of the public protocol. */
export function systemPrompt(input: BotInput): string {
  const llm = input.llm;
  const language =
    llm.replyLanguage === "customer" ? "Reply in the language of the customer's latest message." : `Always reply in ${languageNames[llm.replyLanguage] ?? llm.replyLanguage}.`;
  const lines = [
    `You are the customer-service assistant of ${input.channel.name}, answering ${kindWords[input.conversation.kind]} on ${platformNames[input.channel.platform] ?? input.channel.platform}.`,
    "Answer only from the knowledge base articles you are given (or find with search_knowledge_base). Never invent facts, prices, dates, links or policies.",
    "End your turn by calling exactly one of reply_to_customer or handoff_to_human:",
    `- reply_to_customer when the articles answer the question: a short, friendly answer of at most ${limitInWords(input.maxLength, input.lengthUnit)}, with articleIds listing the ids of the articles it is based on.`,
    "- handoff_to_human with reason customer_request when the customer asks for a person; sensitive for legal threats, payment disputes or chargebacks, personal-data requests, safety, harassment, or cancellations with complaints; negative_review for a negative review or public complaint; no_answer when the articles do not answer the question. Write a one- or two-sentence summary for the agent.",
    "Call search_knowledge_base first if the articles given do not answer the question but other words might find one.",
    language,
  ];
  if (input.publicReply) lines.push("Your reply is public: never include personal data such as order numbers, email addresses or phone numbers.");
  if (llm.neverSay.length) lines.push(`Never say any of these: ${llm.neverSay.map((p) => JSON.stringify(p)).join(", ")}.`);
  if (llm.instructions.trim()) lines.push(`Instructions from the team: ${llm.instructions.trim()}`);
  return lines.join("\n");
}

export function articlesJson(articles: PromptArticle[]): string {
  return JSON.stringify(articles.map((a) => ({ id: a.id, title: a.title, body: a.body, language: a.language })));
}

/** System rules, the retrieved articles, the conversation so far, and the customer's latest message last. */
export function promptMessages(input: BotInput, articles: PromptArticle[]): Message[] {
  const history: Message[] = input.history
    .filter((m) => m.author !== "system" && m.text.trim())
    .map((m) => (m.author === "customer" ? { role: "user", content: m.text } : { role: "assistant", content: m.author === "agent" ? `(A person on the team wrote:) ${m.text}` : m.text }));
  return [
    { role: "system", content: systemPrompt(input) },
    { role: "system", content: `Knowledge base articles retrieved for the customer's latest message (JSON): ${articlesJson(articles)}` },
    ...history,
    { role: "user", content: input.message.text || (input.message.rating ? `(${input.message.rating}-star review without text)` : "(no text)") },
  ];
}
