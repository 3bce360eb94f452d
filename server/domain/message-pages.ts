import { and, desc, eq, lt } from "drizzle-orm";
import type { Message } from "../../shared/schemas/conversations.js";
import type { Executor } from "../db/client.js";
import { messages, users } from "../db/schema.js";
import { getConversation } from "./conversation-queries.js";
import { BadRequest, type Scope } from "./scope.js";
import { serializeMessage } from "./serialize.js";

const encodeCursor = (seq: number) => Buffer.from(`m${seq}`).toString("base64url");

function decodeCursor(cursor: string): number {
  const m = /^m(\d{1,18})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m) throw new BadRequest("before is not a valid cursor", "invalid_cursor");
  return Number(m[1]);
}

/**
 * One page of a conversation's history: the newest `limit` messages older than `before`, returned
 * oldest to newest so a timeline can prepend the page as is. Seq order is the timeline's order.
 */
export async function messagePage(
  db: Executor,
  scope: Scope,
  conversationId: string,
  q: { before?: string; limit: number },
): Promise<{ items: Message[]; nextCursor: string | null }> {
  await getConversation(db, scope, conversationId);
  const where = [eq(messages.workspaceId, scope.workspaceId), eq(messages.conversationId, conversationId)];
  if (q.before) where.push(lt(messages.seq, decodeCursor(q.before)));
  const rows = await db
    .select({ message: messages, authorName: users.name })
    .from(messages)
    .leftJoin(users, eq(users.id, messages.authorUserId))
    .where(and(...where))
    .orderBy(desc(messages.seq))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit).reverse();
  const oldest = page[0];
  return {
    items: page.map((r) => serializeMessage(r.message, r.authorName)),
    nextCursor: rows.length > q.limit && oldest ? encodeCursor(oldest.message.seq) : null,
  };
}
