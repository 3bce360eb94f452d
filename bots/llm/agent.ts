import type OpenAI from "openai";
import type { KnowledgeHit } from "../knowledge/search.js";
import { trimTo } from "../knowledge/answer.js";
import type { BotDecision, BotInput, BotTrace, CitedArticle, PipelineDeps } from "../pipeline/types.js";
import { describeLlmError, llmClient, redactSecrets } from "./client.js";
import { promptMessages, type PromptArticle } from "./prompt.js";
import { botTools, HandoffArgs, ReplyArgs, SearchArgs } from "./tools.js";

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;
/** Searches the model may make before it must reply or hand off. */
const MAX_ROUNDS = 3;

/** Bodies are cut in the prompt so five long articles cannot crowd out the conversation. */
const PROMPT_BODY = 4000;
const toPrompt = (h: KnowledgeHit): PromptArticle => ({ id: h.article.id, title: h.article.title, body: trimTo(h.article.body, PROMPT_BODY), language: h.article.language });

/**
 * The LLM stage (docs/bots.md, "LLM protocol"): the retrieved articles and three function tools,
 * tool_choice required. A reply is sent only if it cites articles Parley gave the model in this turn
 * (else no_answer); timeouts, 429s, provider errors and malformed output hand off as bot_unavailable.
 */
export async function runLlmAgent(input: BotInput, retrieved: KnowledgeHit[], deps: PipelineDeps): Promise<{ decision: BotDecision; trace: Partial<BotTrace> }> {
  const llm = input.llm;
  const client = llmClient(llm);
  const given = new Map<string, PromptArticle>(retrieved.map((h) => [h.article.id, toPrompt(h)]));
  const messages: Message[] = promptMessages(input, [...given.values()]);
  const prompt = structuredClone(messages);
  const toolCalls: Array<{ round: number; name: string; arguments: string }> = [];
  const started = Date.now();
  let modelCalls = 0;
  const done = (decision: BotDecision, error: string | null = null) => ({
    decision,
    trace: { model: llm.model, modelCalls, prompt, toolCalls, latencyMs: Date.now() - started, error: error ? redactSecrets(error, llm) : null },
  });
  const unavailable = (detail: string) => done({ kind: "handoff", stage: "llm", reason: "bot_unavailable", detail, summary: null }, detail);

  for (let round = 1; round <= MAX_ROUNDS; round++) {
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      modelCalls++;
      completion = await client.chat.completions.create({ model: llm.model!, messages, tools: botTools, tool_choice: "required", temperature: llm.temperature });
    } catch (err) {
      return unavailable(describeLlmError(err, llm).message);
    }
    const message = completion.choices?.[0]?.message;
    const calls = (message?.tool_calls ?? []).filter((c): c is OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall => c.type === "function");
    for (const c of calls) toolCalls.push({ round, name: c.function.name, arguments: c.function.arguments });
    if (!message || calls.length === 0) return unavailable("malformed output: the model answered without calling a tool");

    const final = calls.find((c) => c.function.name === "reply_to_customer" || c.function.name === "handoff_to_human");
    if (final) {
      const args = parseJson(final.function.arguments);
      if (final.function.name === "handoff_to_human") {
        const h = HandoffArgs.safeParse(args);
        if (!h.success) return unavailable(`malformed output: handoff_to_human arguments ${issues(h.error)}`);
        return done({ kind: "handoff", stage: "llm", reason: h.data.reason, detail: "the model handed off", summary: h.data.summary || null });
      }
      const r = ReplyArgs.safeParse(args);
      if (!r.success) return unavailable(`malformed output: reply_to_customer arguments ${issues(r.error)}`);
      const cited = [...new Set(r.data.articleIds)];
      if (cited.length === 0 || cited.some((id) => !given.has(id))) {
        return done({
          kind: "handoff",
          stage: "llm",
          reason: "no_answer",
          detail: cited.length === 0 ? "the model's answer cited no article" : "the model's answer cited an article it was not given",
          summary: null,
        });
      }
      const articles: CitedArticle[] = cited.map((id) => given.get(id)!).map((a) => ({ id: a.id, title: a.title, body: a.body }));
      return done({ kind: "reply", stage: "llm", text: trimTo(r.data.text, input.maxLength, input.lengthUnit), articles, actions: null });
    }

    // Only searches: run them, give the results back, and ask again.
    messages.push({ role: "assistant", content: message.content ?? null, tool_calls: calls });
    for (const c of calls) {
      if (c.function.name !== "search_knowledge_base") return unavailable(`malformed output: unknown tool ${c.function.name}`);
      const s = SearchArgs.safeParse(parseJson(c.function.arguments));
      if (!s.success) return unavailable(`malformed output: search_knowledge_base arguments ${issues(s.error)}`);
      const found = await deps.search(s.data.query, { limit: 5, tags: input.stages.knowledge.tags });
      for (const h of found.hits) given.set(h.article.id, toPrompt(h));
      messages.push({ role: "tool", tool_call_id: c.id, content: articlesJson(found.hits.map(toPrompt)) });
    }
  }
  return unavailable(`malformed output: the model searched ${MAX_ROUNDS} times without replying or handing off`);
}

const articlesJson = (a: PromptArticle[]) => JSON.stringify(a.map(({ id, title, body }) => ({ id, title, body })));

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const issues = (e: { issues: Array<{ path: PropertyKey[]; message: string }> }) =>
  e.issues.length ? e.issues.map((i) => `${i.path.join(".") || "(all)"}: ${i.message}`).join("; ") : "are not valid JSON";
