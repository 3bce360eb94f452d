import type { z } from "zod";
import type { LlmTestResult, llmTestSteps } from "../../shared/schemas/bots.js";
import { describeLlmError, llmClient } from "./client.js";
import type { EffectiveLlm } from "./settings.js";

type Step = { step: (typeof llmTestSteps)[number]; ok: boolean; detail: string };
type Result = z.infer<typeof LlmTestResult>;

/**
 * "Test connection": one small chat completion that must call a function, the way every bot turn
 * does. Says which step worked and which failed (reach the server, the key, the model, tool calls),
 * in words, never with the key.
 */
export async function testLlmConnection(llm: EffectiveLlm): Promise<Result> {
  const steps: Step[] = [];
  const fail = (step: Step["step"], detail: string, message: string): Result => {
    steps.push({ step, ok: false, detail });
    return { ok: false, message, steps, model: llm.model, latencyMs: null };
  };
  if (!llm.model) return fail("configuration", "no model name", "No model is set: enter the model's name (for example gpt-4o-mini or llama3.1), or set PARLEY_LLM_MODEL.");
  if (!llm.configured) return fail("configuration", "no API key and no endpoint", "No API key is set for OpenAI's endpoint: enter a key, or the base URL of a server that needs none (Ollama, vLLM, LM Studio).");
  steps.push({ step: "configuration", ok: true, detail: `${llm.baseUrl}, model ${llm.model}, key from ${llm.apiKeySource}` });

  const started = Date.now();
  try {
    const completion = await llmClient(llm).chat.completions.create({
      model: llm.model,
      temperature: 0,
      max_tokens: 50,
      messages: [{ role: "user", content: "This is a connection test. Call the function confirm_connection." }],
      tools: [{ type: "function", function: { name: "confirm_connection", description: "Confirms that the connection works.", parameters: { type: "object", properties: {}, additionalProperties: false } } }],
      tool_choice: "required",
    });
    const latencyMs = Date.now() - started;
    steps.push({ step: "reach", ok: true, detail: `${llm.baseUrl} answered` }, { step: "authenticate", ok: true, detail: "the key was accepted" }, { step: "model", ok: true, detail: `${completion.model || llm.model} answered in ${latencyMs} ms` });
    const called = completion.choices?.[0]?.message?.tool_calls?.some((c) => c.type === "function");
    if (!called) {
      const r = fail("tools", "the model answered without calling the function", `The model ${llm.model} answered but did not call a function: Parley's bot needs a model with function (tool) calling.`);
      return { ...r, latencyMs };
    }
    steps.push({ step: "tools", ok: true, detail: "the model called the function" });
    return { ok: true, message: `Connected to ${llm.baseUrl}: the model ${llm.model} answered in ${latencyMs} ms and can call functions.`, steps, model: llm.model, latencyMs };
  } catch (err) {
    const e = describeLlmError(err, llm);
    if (e.kind === "network" || e.kind === "timeout") return fail("reach", e.message, `Could not reach the model: ${e.message}. Check the base URL and that the server is running.`);
    steps.push({ step: "reach", ok: true, detail: `${llm.baseUrl} answered` });
    if (e.kind === "auth") return fail("authenticate", e.message, `The server refused the API key: ${e.message}. Check the key.`);
    steps.push({ step: "authenticate", ok: true, detail: "the key was accepted" });
    if (e.kind === "rate_limited") return fail("model", e.message, `The key works but the server is rate limiting it: ${e.message}. Try again later or raise the limit.`);
    if (e.kind === "not_found") return fail("model", e.message, `The server does not know the model ${llm.model} (or the base URL is missing /v1): ${e.message}.`);
    if (e.kind === "bad_request" && /tool|function/i.test(e.message)) return fail("tools", e.message, `The model ${llm.model} does not support function (tool) calling, which Parley's bot needs: ${e.message}.`);
    return fail("model", e.message, `The model call failed: ${e.message}.`);
  }
}
