import type { SendResult } from "./types.js";

/**
 * Sends a reply that takes several platform calls (its text, then each file) in order, skipping the
 * parts an earlier attempt already got through. Success carries the first part's platform id; a
 * failure says how many parts were accepted, so the retry starts after them.
 */
export async function sendParts(parts: Array<() => Promise<SendResult>>, alreadySent: number): Promise<SendResult> {
  let firstId: string | undefined;
  for (let i = alreadySent; i < parts.length; i++) {
    const result = await parts[i]!();
    if (!result.ok) return { ...result, partsSent: i };
    firstId ??= result.externalId;
  }
  return { ok: true, ...(firstId ? { externalId: firstId } : {}) };
}
