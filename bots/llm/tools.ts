import type OpenAI from "openai";
import { z } from "zod";

/**
 * The function tools offered to the model on every bot turn (docs/bots.md, "LLM protocol"). The
 * model must call one (tool_choice "required"); a reply or a hand-off ends the turn.
 */
export const botTools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: "function",
    function: {
      name: "search_knowledge_base",
      description: "Search the knowledge base again with other words, when the articles given do not answer the question. Returns articles with their ids.",
      parameters: { type: "object", properties: { query: { type: "string", description: "What to search for" } }, required: ["query"], additionalProperties: false },
    },
  },
  {
    type: "function",
    function: {
      name: "reply_to_customer",
      description: "Send the answer to the customer. Only facts from the knowledge base articles given to you; cite the ids of the articles the answer is based on.",
      parameters: {
        type: "object",
        properties: {
          text: { type: "string", description: "The message to the customer" },
          articleIds: { type: "array", items: { type: "string" }, description: "Ids of the articles the answer is based on (at least one)" },
        },
        required: ["text", "articleIds"],
        additionalProperties: false,
      },
    },
  },
  {
    type: "function",
    function: {
      name: "handoff_to_human",
      description: "Pass the conversation to a person on the team, with the reason and a short summary for them.",
      parameters: {
        type: "object",
        properties: {
          reason: {
            type: "string",
            enum: ["customer_request", "sensitive", "negative_review", "no_answer"],
            description:
              "customer_request: the customer asks for a person; sensitive: legal threats, payment disputes or chargebacks, personal-data requests, safety, harassment, cancellations with complaints; negative_review: a negative review or public complaint; no_answer: the articles do not answer the question",
          },
          summary: { type: "string", description: "One or two sentences for the agent: what the customer wants" },
        },
        required: ["reason", "summary"],
        additionalProperties: false,
      },
    },
  },
];

export const SearchArgs = z.object({ query: z.string().trim().min(1).max(500) });
export const ReplyArgs = z.object({ text: z.string().trim().min(1).max(10_000), articleIds: z.array(z.string()).max(20) });
export const HandoffArgs = z.object({ reason: z.enum(["customer_request", "sensitive", "negative_review", "no_answer"]), summary: z.string().trim().max(2000) });
