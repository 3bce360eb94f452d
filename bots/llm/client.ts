import OpenAI from "openai";
import type { EffectiveLlm } from "./settings.js";

/** One client per call: settings may change between turns, and the client holds no connection worth keeping. */
export function llmClient(llm: EffectiveLlm): OpenAI {
  return new OpenAI({
    baseURL: llm.baseUrl,
    // Keyless servers (Ollama, vLLM, LM Studio) still get a header; the SDK insists on a value.
    apiKey: llm.apiKey ?? "none",
    timeout: llm.timeoutMs,
    // A customer is waiting: no silent retries; a failure hands off (bot_unavailable) at once.
    maxRetries: 0,
  });
}

/** Removes the API key (and anything shaped like one) from a text before it is logged or stored. */
export function redactSecrets(text: string, llm: Pick<EffectiveLlm, "apiKey">): string {
  let out = text;
  if (llm.apiKey && llm.apiKey.length >= 4) out = out.split(llm.apiKey).join("[redacted]");
  return out.replace(/\b(sk|rk|pk)-[A-Za-z0-9_*-]{6,}/g, "[redacted]").replace(/Bearer\s+\S+/gi, "Bearer [redacted]");
}

export type LlmFailure = { kind: "timeout" | "rate_limited" | "auth" | "not_found" | "server" | "network" | "bad_request" | "malformed"; message: string };

/** What went wrong with a model call, in words, without the key. */
export function describeLlmError(err: unknown, llm: EffectiveLlm): LlmFailure {
  const say = (kind: LlmFailure["kind"], message: string): LlmFailure => ({ kind, message: redactSecrets(message, llm) });
  if (err instanceof OpenAI.APIConnectionTimeoutError) return say("timeout", `the model did not answer within ${llm.timeoutMs} ms`);
  if (err instanceof OpenAI.APIConnectionError) return say("network", `could not reach ${llm.baseUrl}: ${(err.cause as Error | undefined)?.message ?? err.message}`);
  if (err instanceof OpenAI.APIError) {
    const detail = (err.error as { message?: string } | undefined)?.message ?? err.message;
    const status = err.status ?? 0;
    if (status === 401 || status === 403) return say("auth", `the server refused the API key (${status}): ${detail}`);
    if (status === 404) return say("not_found", `the server does not know this model or path (404): ${detail}`);
    if (status === 429) {
      const after = err.headers?.get?.("retry-after");
      return say("rate_limited", `rate limited (429)${after ? `, retry after ${after} s` : ""}: ${detail}`);
    }
    if (status >= 500) return say("server", `the server failed (${status}): ${detail}`);
    return say("bad_request", `the server refused the request (${status}): ${detail}`);
  }
  return say("malformed", (err as Error)?.message ?? String(err));
}
