import { createHmac } from "node:crypto";
import type { ChannelRuntime, ConnectorEnv, SendFailure } from "../types.js";
import { graphFailure, type GraphError, type MetaProduct } from "./graph-errors.js";
import { callPlatform, jsonRequest } from "../platform-http.js";

export type MetaSecrets = { appSecret: string; accessToken: string };

export type GraphCall = {
  method: "GET" | "POST" | "DELETE";
  /** Below the base URL, e.g. `/<page id>/messages`. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** A multipart body instead of JSON (a file upload). */
  form?: FormData;
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
  const init = call.form ? { method: call.method, headers: { authorization: `Bearer ${accessToken}` }, body: call.form } : jsonRequest(call.method, accessToken, call.body);
  // An upload of a few megabytes may take longer than a JSON call.
  const timeout = call.form ? Math.max(env.config.OUTBOUND_TIMEOUT_MS, 60_000) : env.config.OUTBOUND_TIMEOUT_MS;
  const reply = await callPlatform(url, init, timeout, env.targets(channel));
  if (!reply.reached) return { ok: false, retryable: true, reason: `${product} could not be reached (${reply.reason}); Parley will retry.`, code: "network" };
  const json = (reply.json && typeof reply.json === "object" ? reply.json : {}) as Record<string, unknown>;
  if (reply.ok && !json.error) return { ok: true, json };
  return graphFailure(product, reply.status, json.error as GraphError | undefined, reply.headers);
}
