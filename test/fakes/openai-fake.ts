import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { onRequest, sendJson, type Recorded } from "./fake-http.js";

/**
 * A local OpenAI-compatible server (POST /v1/chat/completions, GET /v1/models), enough for Parley's
 * bot: tool calls, 401 with OpenAI's error body, 429 with retry-after, 500, slow and hanging answers,
 * malformed tool arguments, and answers without a tool call. Tests script the next answers with
 * `next(...)`, or the default with `respond(fn)`; every request is recorded.
 *
 * With nothing scripted it behaves like a careful model: it answers from the first article Parley gave
 * it (citing that article's id), hands off with no_answer when there is none, and fills in the
 * hand-off notes and connection-test tools when those are asked for.
 */
export type FakeAnswer = (
  | { reply: string; cite?: "first" | "none" | string[] }
  | { handoff: "customer_request" | "sensitive" | "negative_review" | "no_answer"; summary?: string }
  | { search: string }
  | { notes: { summary: string; suggestedReply: string } }
  | { tool: string; arguments: string }
  | { text: string }
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { hang: true }
) & { delayMs?: number };

export type ChatRequest = Recorded & { model: string; toolNames: string[]; toolChoice: unknown; articleIds: string[]; lastUser: string };

export async function startOpenAiFake(opts: { apiKey?: string } = {}) {
  const requests: ChatRequest[] = [];
  const queue: FakeAnswer[] = [];
  const byText = new Map<string, FakeAnswer[]>();
  const hanging = new Set<ServerResponse>();
  let responder: ((req: ChatRequest) => FakeAnswer) | null = null;
  let apiKey = opts.apiKey ?? null;
  let callId = 0;

  const completion = (req: ChatRequest, message: Record<string, unknown>) => ({
    id: `chatcmpl-fake-${requests.length}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model: req.model,
    choices: [{ index: 0, message: { role: "assistant", content: null, ...message }, finish_reason: message.tool_calls ? "tool_calls" : "stop" }],
    usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
  });
  const toolCall = (name: string, args: string) => ({ tool_calls: [{ id: `call_${++callId}`, type: "function", function: { name, arguments: args } }] });

  function defaultAnswer(req: ChatRequest): FakeAnswer {
    if (req.toolNames.includes("write_handoff_notes")) {
      return { notes: { summary: "The customer wants to know about their order.", suggestedReply: "Hello! Thanks for waiting, I am looking into this for you now." } };
    }
    if (req.toolNames.includes("confirm_connection")) return { tool: "confirm_connection", arguments: "{}" };
    return req.articleIds.length ? { reply: "Here is what our help centre says about this.", cite: "first" } : { handoff: "no_answer", summary: "Nothing in the knowledge base covers this." };
  }

  function answer(req: ChatRequest, a: FakeAnswer, res: ServerResponse) {
    if ("hang" in a) {
      hanging.add(res);
      res.on("close", () => hanging.delete(res));
      return;
    }
    if ("status" in a) return sendJson(res, a.status, a.body ?? { error: { message: `fake error ${a.status}`, type: "server_error" } }, a.headers);
    if ("text" in a) return sendJson(res, 200, completion(req, { content: a.text }));
    if ("tool" in a) return sendJson(res, 200, completion(req, toolCall(a.tool, a.arguments)));
    if ("search" in a) return sendJson(res, 200, completion(req, toolCall("search_knowledge_base", JSON.stringify({ query: a.search }))));
    if ("notes" in a) return sendJson(res, 200, completion(req, toolCall("write_handoff_notes", JSON.stringify(a.notes))));
    if ("handoff" in a) return sendJson(res, 200, completion(req, toolCall("handoff_to_human", JSON.stringify({ reason: a.handoff, summary: a.summary ?? "The customer needs a person." }))));
    const cite = a.cite ?? "first";
    const articleIds = cite === "first" ? req.articleIds.slice(0, 1) : cite === "none" ? [] : cite;
    return sendJson(res, 200, completion(req, toolCall("reply_to_customer", JSON.stringify({ text: a.reply, articleIds }))));
  }

  const server = createServer(
    onRequest((rec, res) => {
      if (rec.method === "GET" && rec.path === "/v1/models") return sendJson(res, 200, { object: "list", data: [{ id: "fake-model", object: "model" }] });
      if (rec.method !== "POST" || rec.path !== "/v1/chat/completions") return sendJson(res, 404, { error: { message: `no route ${rec.method} ${rec.path}` } });
      const body = rec.body ?? {};
      const req: ChatRequest = {
        ...rec,
        model: body.model,
        toolNames: (body.tools ?? []).map((t: any) => t.function?.name),
        toolChoice: body.tool_choice,
        articleIds: articleIdsIn(body.messages ?? []),
        lastUser: [...(body.messages ?? [])].reverse().find((m: any) => m.role === "user")?.content ?? "",
      };
      requests.push(req);
      const given = (rec.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
      if (apiKey && given !== apiKey) {
        // OpenAI's own 401 body; this fake even echoes the whole key, which Parley must never repeat.
        return sendJson(res, 401, { error: { message: `Incorrect API key provided: ${given}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: "invalid_request_error", param: null, code: "invalid_api_key" } });
      }
      const scripted = req.toolNames.includes("reply_to_customer") ? byText.get(req.lastUser)?.shift() : undefined;
      const a = scripted ?? queue.shift() ?? responder?.(req) ?? defaultAnswer(req);
      const go = () => answer(req, a, res);
      if (a.delayMs) setTimeout(go, a.delayMs).unref();
      else go();
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

  return {
    url,
    requests,
    /** The next answers, in order (then the responder or the default behaviour). */
    next(...answers: FakeAnswer[]) {
      queue.push(...answers);
    },
    /** Answers for bot turns whose latest customer message is exactly `text`, in order (safe beside other calls). */
    on(text: string, ...answers: FakeAnswer[]) {
      byText.set(text, [...(byText.get(text) ?? []), ...answers]);
    },
    respond(fn: ((req: ChatRequest) => FakeAnswer) | null) {
      responder = fn;
    },
    setApiKey(key: string | null) {
      apiKey = key;
    },
    reset() {
      queue.length = 0;
      byText.clear();
      responder = null;
      requests.length = 0;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const rateLimited = (retryAfterSeconds = 7): FakeAnswer => ({
  status: 429,
  headers: { "retry-after": String(retryAfterSeconds) },
  body: { error: { message: "Rate limit reached for requests", type: "requests", param: null, code: "rate_limit_exceeded" } },
});
export const serverError: FakeAnswer = { status: 500, body: { error: { message: "The server had an error while processing your request.", type: "server_error" } } };

/** The article ids Parley put in the prompt (its "(JSON): [...]" system message and tool results). */
function articleIdsIn(messages: Array<{ role: string; content?: unknown }>): string[] {
  const ids: string[] = [];
  for (const m of messages) {
    if (typeof m.content !== "string") continue;
    const json = m.role === "tool" ? m.content : m.content.includes("(JSON): ") ? m.content.slice(m.content.indexOf("(JSON): ") + 8) : null;
    if (!json) continue;
    try {
      for (const a of JSON.parse(json) as Array<{ id?: string }>) if (a.id) ids.push(a.id);
    } catch {
      // not an article list
    }
  }
  return ids;
}
