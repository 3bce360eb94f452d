import type { z } from "zod";
import type { Channel, CreatedChannel } from "../../shared/schemas/index.js";

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

/** The signing secret shown once in the answer to creating a channel (null when there is none). */
export function createdSecret(c: z.infer<typeof CreatedChannel>): string | null {
  const generated = (c as { generated?: Record<string, unknown> }).generated;
  const value = generated?.secret ?? (c.config as Record<string, unknown>).secret;
  return typeof value === "string" ? value : null;
}
