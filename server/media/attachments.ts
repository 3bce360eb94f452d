import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Attachment } from "../../shared/schemas/attachments.js";
import type { NormalizedEvent } from "../../shared/schemas/normalized.js";
import type { Tx } from "../db/client.js";
import { attachments, messages } from "../db/schema.js";
import type { DomainEvent } from "../infra/event-bus.js";

type Row = typeof attachments.$inferSelect;
type NormalizedAttachment = NonNullable<Extract<NormalizedEvent, { type: "message" }>["message"]["attachments"]>[number];

/** Where the console loads a stored file (with its session cookie). */
export const attachmentPath = (id: string) => `/api/attachments/${id}`;

export function serializeAttachment(row: Row): Attachment {
  return {
    id: row.id,
    type: row.type,
    url: row.status === "stored" ? attachmentPath(row.id) : null,
    thumbnailUrl: null,
    name: row.name,
    mimeType: row.mimeType,
    size: row.size,
    status: row.status,
    reason: row.reason,
  };
}

/** Kinds that are no file at all: shown as a marker, nothing to fetch. */
const notFiles = new Set(["location", "contacts"]);
/** Links to something on the platform rather than a file of the message. */
const links: Record<string, string> = {
  share: "A shared link or post: open the conversation in the platform's app to see it.",
  fallback: "A shared link: open the conversation in the platform's app to see it.",
  template: "A structured message: open the conversation in the platform's app to see it.",
  post: "A shared post: open the conversation in the platform's app to see it.",
  ig_post: "A shared post: open the conversation in the platform's app to see it.",
};

export type PreparedAttachments = { display: Attachment[]; rows: Array<Omit<typeof attachments.$inferInsert, "messageId">> };

/**
 * Turns a message's normalized attachments into the rows to store (one per file, pending until the
 * media job fetches it, or unavailable with the reason) and the display copy kept on the message.
 */
export function prepareInbound(items: NormalizedAttachment[], at: { workspaceId: string; conversationId: string; channelId: string }): PreparedAttachments {
  const out: PreparedAttachments = { display: [], rows: [] };
  for (const [position, a] of items.entries()) {
    if (notFiles.has(a.type)) {
      out.display.push({ type: a.type, url: null });
      continue;
    }
    const reason = a.unavailable ?? links[a.type] ?? (a.url || a.ref ? null : "The platform gave no way to fetch this file.");
    const row = {
      id: randomUUID(),
      ...at,
      origin: "inbound" as const,
      position,
      type: a.type,
      name: a.name ?? null,
      mimeType: a.mimeType ?? null,
      size: a.size ?? null,
      status: reason ? ("unavailable" as const) : ("pending" as const),
      reason,
      source: { ...(a.url ? { url: a.url } : {}), ...(a.ref ? { ref: a.ref } : {}) },
    };
    out.rows.push(row);
    out.display.push(serializeAttachment({ ...row, messageId: null, storageKey: null, uploadedBy: null, attempts: 0, createdAt: new Date(), storedAt: null }));
  }
  return out;
}

/** Stores the prepared rows for the message just inserted; the pending ones go to the media job after the commit. */
export async function recordInbound(tx: Tx, events: DomainEvent[], message: { id: string; workspaceId: string }, prepared: PreparedAttachments): Promise<void> {
  if (prepared.rows.length === 0) return;
  await tx.insert(attachments).values(prepared.rows.map((r) => ({ ...r, messageId: message.id })));
  const pending = prepared.rows.filter((r) => r.status === "pending").map((r) => r.id!);
  if (pending.length) events.push({ type: "attachments.pending", workspaceId: message.workspaceId, messageId: message.id, attachmentIds: pending });
}

/** Rewrites one attachment's entry in its message's display copy (after a fetch) and pushes the message. */
export async function refreshMessageCopy(tx: Tx, events: DomainEvent[], row: Row): Promise<void> {
  if (!row.messageId) return;
  const [msg] = await tx.select().from(messages).where(and(eq(messages.id, row.messageId), eq(messages.workspaceId, row.workspaceId))).for("update");
  if (!msg) return;
  const list = msg.attachments as Attachment[];
  const next = list.map((a) => (a.id === row.id ? serializeAttachment(row) : a));
  await tx.update(messages).set({ attachments: next, updatedAt: new Date() }).where(eq(messages.id, msg.id));
  events.push({ type: "message.updated", workspaceId: msg.workspaceId, conversationId: msg.conversationId, messageId: msg.id });
}
