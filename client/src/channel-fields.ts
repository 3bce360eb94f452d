import type { Channel } from "../../shared/schemas/index.js";

/**
 * An API channel's settings as the console shows them. Read loosely, so the console works with a
 * channel whose `config` has fixed fields (callbackUrl, hasSecret) as well as with one whose
 * `config` is a settings record and whose stored secrets are named in `secrets`.
 */
export function apiChannelFields(c: Channel): { callbackUrl: string | null; hasSecret: boolean } {
  const config = c.config as Record<string, unknown>;
  const secrets = (c as { secrets?: unknown }).secrets;
  return {
    callbackUrl: typeof config.callbackUrl === "string" && config.callbackUrl ? config.callbackUrl : null,
    hasSecret: config.hasSecret === true || (Array.isArray(secrets) && secrets.length > 0),
  };
}
