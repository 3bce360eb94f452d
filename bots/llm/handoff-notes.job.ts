import { and, desc, eq, ne } from "drizzle-orm";
import type OpenAI from "openai";
import { z } from "zod";
import { handoffReasonWords } from "../../shared/schemas/bots.js";
import type { HandoffReason } from "../../shared/schemas/common.js";
import { defineJob } from "../../server/context.js";
import { botHandoffs, channels, conversations, messages } from "../../server/db/schema.js";
import { searchKnowledge } from "../knowledge/search.js";
import { describeLlmError, llmClient } from "./client.js";
import { articlesJson } from "./prompt.js";
import { loadLlmSettings } from "./settings.js";

const notesTool: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: "function",
  function: {
    name: "write_handoff_notes",
    description: "Notes for the person taking over the conversation.",
    parameters: {
      type: "object",
      properties: {
        summary: { type: "string", description: "Two or three sentences: what the customer wants, and what the bot already said" },
        suggestedReply: { type: "string", description: "A reply the agent can edit and send, in the customer's language, using only facts from the articles" },
      },
      required: ["summary", "suggestedReply"],
      additionalProperties: false,
    },
  },
};
const NotesArgs = z.object({ summary: z.string().trim().min(1).max(2000), suggestedReply: z.string().trim().min(1).max(4000) });

/**
 * After a bot hand-off, with an LLM configured: a written summary and a suggested reply for the
 * agent's hand-off card. Runs after the hand-off is committed, so the model never delays it; if the
 * model fails, the card keeps the plain summary written at hand-off time.
 */
export const handoffNotesJob = defineJob({
  name: "bot.handoff.notes",
  queue: "bots",
  payload: z.object({ handoffId: z.uuid() }),
  retry: () => ({ attempts: 2, backoffMs: 2000 }),
  async handle({ handoffId }, ctx, job) {
    const [row] = await ctx.db
      .select({ handoff: botHandoffs, conv: conversations, channel: channels })
      .from(botHandoffs)
      .innerJoin(conversations, eq(conversations.id, botHandoffs.conversationId))
      .innerJoin(channels, eq(channels.id, conversations.channelId))
      .where(eq(botHandoffs.id, handoffId));
    if (!row || row.handoff.suggestedReply || row.handoff.reason === "agent_takeover") return;
    const llm = await loadLlmSettings(ctx, row.conv.workspaceId);
    if (!llm.configured) return;
    const history = (
      await ctx.db
        .select({ author: messages.author, text: messages.text, visibility: messages.visibility })
        .from(messages)
        .where(and(eq(messages.conversationId, row.conv.id), ne(messages.visibility, "note")))
        .orderBy(desc(messages.seq))
        .limit(20)
    ).reverse();
    const lastCustomer = [...history].reverse().find((m) => m.author === "customer")?.text ?? "";
    const found = lastCustomer ? await searchKnowledge(ctx.db, row.conv.workspaceId, lastCustomer, { limit: 3 }) : { hits: [] };
    const transcript = history.map((m) => `${m.author}: ${m.text}`).join("\n");
    try {
      const completion = await llmClient(llm).chat.completions.create({
        model: llm.model!,
        temperature: llm.temperature,
        tools: [notesTool],
        tool_choice: { type: "function", function: { name: "write_handoff_notes" } },
        messages: [
          {
            role: "system",
            content: [
              `A customer-service bot handed this ${row.conv.kind} conversation to a person. Reason: ${handoffReasonWords[row.handoff.reason as HandoffReason] ?? row.handoff.reason}.`,
              "Write notes for that person by calling write_handoff_notes. The suggested reply must only use facts from the articles; if they do not answer, write a short, polite reply that asks for what is missing or says a person will look into it.",
              llm.replyLanguage === "customer" ? "Write the suggested reply in the customer's language." : `Write the suggested reply in the language with code ${llm.replyLanguage}.`,
              row.conv.kind === "dm" ? "" : "The reply will be public: no personal data.",
              llm.instructions.trim() ? `Instructions from the team: ${llm.instructions.trim()}` : "",
            ]
              .filter(Boolean)
              .join("\n"),
          },
          { role: "system", content: `Knowledge base articles (JSON): ${articlesJson(found.hits.map((h) => ({ id: h.article.id, title: h.article.title, body: h.article.body, language: h.article.language })))}` },
          { role: "user", content: `The conversation so far:\n${transcript}` },
        ],
      });
      const call = completion.choices?.[0]?.message?.tool_calls?.find((c) => c.type === "function" && c.function.name === "write_handoff_notes");
      const parsed = call && call.type === "function" ? NotesArgs.safeParse(safeJson(call.function.arguments)) : null;
      if (!parsed?.success) {
        job.log.warn("handoff notes: malformed model output", { handoff: handoffId });
        return;
      }
      await ctx.db.update(botHandoffs).set({ summary: parsed.data.summary, suggestedReply: parsed.data.suggestedReply }).where(eq(botHandoffs.id, handoffId));
      await ctx.bus.publish([{ type: "conversation.updated", workspaceId: row.conv.workspaceId, conversationId: row.conv.id }]);
    } catch (err) {
      job.log.warn("handoff notes: model call failed", { handoff: handoffId, reason: describeLlmError(err, llm).message });
    }
  },
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
