import type { NormalizedEventInput } from "../../../shared/schemas/normalized.js";
import { normalizeMessaging, type MessagingItem } from "./messaging-normalize.js";

export type MetaChange = { field?: string; value?: Record<string, unknown> };
export type MetaEntry = { id?: string; time?: number; messaging?: MessagingItem[]; changes?: MetaChange[]; [k: string]: unknown };

/**
 * Walks the stored `{object, entry[]}` delivery (only this channel's entries): messaging items go to
 * the shared DM normalizer, changes to the product's own handler.
 */
export function normalizeEnvelope(
  payload: string,
  accountId: string,
  onChange: (change: MetaChange, entry: MetaEntry) => NormalizedEventInput[],
): NormalizedEventInput[] {
  const body = JSON.parse(payload) as { entry?: MetaEntry[] };
  const out: NormalizedEventInput[] = [];
  for (const entry of body.entry ?? []) {
    for (const item of entry.messaging ?? []) out.push(...normalizeMessaging(item, accountId));
    for (const change of entry.changes ?? []) out.push(...onChange(change, entry));
    if (!entry.messaging && !entry.changes) out.push({ type: "ignored", reason: "entry without messaging or changes (Include Values is off?)" });
  }
  return out;
}
