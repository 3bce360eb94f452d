import { createHmac } from "node:crypto";
import type { ChannelRuntime, ConnectorEnv, SendFailure } from "../types.js";
import { graphFailure, type GraphError, type MetaProduct } from "./graph-errors.js";

export type MetaSecrets = { appSecret: string; accessToken: string };

export type GraphCall = {
  method: "POST" | "DELETE";
  /** Below the base URL, e.g. `/<page id>/messages`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
};

export type GraphResult = { ok: true; json: Record<string, unknown> } | SendFailure;

/**
 * One Graph API call with the channel's token. The token goes in the Authorization header (never in
 * a URL that could end up in a log), with appsecret_proof so a leaked token alone is useless.
 */
export async function graphCall(product: MetaProduct, channel: ChannelRuntime<unknown, MetaSecrets>, call: GraphCall, env: ConnectorEnv): Promise<GraphResult> {
  const url = new URL(env.baseUrl(channel) + call.path);
  for (const [k, v] of Object.entries(call.query ?? {})) url.searchParams.set(k, v);
  const { accessToken, appSecret } = channel.secrets;
  if (appSecret) url.searchParams.set("appsecret_proof", createHmac("sha256", appSecret).update(accessToken).digest("hex"));
  let res: Response;
  try {
    res = await fetch(url, {
      method: call.method,
      headers: { authorization: `Bearer ${accessToken}`, ...(call.body !== undefined ? { "content-type": "application/json" } : {}) },
      body: call.body !== undefined ? JSON.stringify(call.body) : undefined,
      signal: AbortSignal.timeout(env.config.OUTBOUND_TIMEOUT_MS),
    });
  } catch (err) {
    const timeout = (err as Error).name === "TimeoutError";
    return {
      ok: false,
      retryable: true,
      reason: `${product} could not be reached (${timeout ? `no answer within ${env.config.OUTBOUND_TIMEOUT_MS} ms` : (err as Error).message}); Parley will retry.`,
      code: "network",
    };
  }
  const text = await res.text().catch(() => "");
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    // A non-JSON answer (a proxy's error page): judged by its status below.
  }
  if (res.ok && !json.error) return { ok: true, json };
  return graphFailure(product, res.status, json.error as GraphError | undefined, res.headers);
}
