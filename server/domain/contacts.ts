import { and, desc, eq, ilike, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Contact, ContactDetail, ContactListQuery, ContactUpdate } from "../../shared/schemas/contacts.js";
import type { Ctx } from "../context.js";
import type { Executor } from "../db/client.js";
import { channels, contactIdentities, contactNotes, contacts, conversations, users } from "../db/schema.js";
import { recordAudit } from "./audit.js";
import { conversationScope, summaryRows } from "./conversation-queries.js";
import { avatarPath } from "./contact-profile.js";
import { appendLedger } from "./ledger.js";
import { BadRequest, NotFound, type Scope } from "./scope.js";
import { serializeConversation } from "./serialize.js";
import { inTransaction } from "./transaction.js";

type ContactRow = typeof contacts.$inferSelect;

/**
 * The condition every contact read carries: the workspace, and for an agent at least one of the
 * contact's conversations they may see (conversationScope), so a contact is never a way around it.
 */
export function contactScope(scope: Scope): SQL {
  const workspace = eq(contacts.workspaceId, scope.workspaceId);
  if (scope.role !== "agent") return workspace;
  return and(
    workspace,
    sql`exists (select 1 from ${conversations} where ${conversations.contactId} = ${contacts.id} and ${conversationScope(scope)})`,
  )!;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function encodeCursor(c: ContactRow) {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString("base64url");
}

function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const date = new Date(at ?? "");
  if (!id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) throw new BadRequest("cursor is not valid", "invalid_cursor");
  return { at: date, id };
}

/** Identities of the given contacts on every channel, with the channel's name and platform. */
async function identitiesOf(db: Executor, contactIds: string[]): Promise<Map<string, Contact["identities"]>> {
  const out = new Map<string, Contact["identities"]>();
  if (contactIds.length === 0) return out;
  const rows = await db
    .select({ identity: contactIdentities, channelName: channels.name, platform: channels.platform })
    .from(contactIdentities)
    .innerJoin(channels, eq(channels.id, contactIdentities.channelId))
    .where(inArray(contactIdentities.contactId, contactIds))
    .orderBy(contactIdentities.createdAt);
  for (const r of rows) {
    const list = out.get(r.identity.contactId) ?? [];
    list.push({
      channelId: r.identity.channelId,
      channelName: r.channelName,
      platform: r.platform,
      externalId: r.identity.externalId,
      handle: r.identity.handle,
      blockedAt: r.identity.blockedAt?.toISOString() ?? null,
    });
    out.set(r.identity.contactId, list);
  }
  return out;
}

function serializeContact(c: ContactRow, identities: Contact["identities"]): Contact {
  return { id: c.id, name: c.name, email: c.email, phone: c.phone, avatarUrl: avatarPath(c.id, c.avatarUrl), identities, createdAt: c.createdAt.toISOString() };
}

/** Contacts the caller may see, newest first; q matches name, email, phone or a platform id. */
export async function listContacts(db: Executor, scope: Scope, q: z.output<typeof ContactListQuery>): Promise<{ items: Contact[]; nextCursor: string | null }> {
  const where: SQL[] = [contactScope(scope)];
  if (q.q) {
    const like = `%${likeEscape(q.q)}%`;
    where.push(
      or(
        ilike(contacts.name, like),
        ilike(contacts.email, like),
        ilike(contacts.phone, like),
        sql`exists (select 1 from ${contactIdentities} where ${contactIdentities.contactId} = ${contacts.id} and ${contactIdentities.externalId} ilike ${like})`,
      )!,
    );
  }
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    where.push(or(lt(contacts.createdAt, c.at), and(eq(contacts.createdAt, c.at), lt(contacts.id, c.id)))!);
  }
  const rows = await db
    .select()
    .from(contacts)
    .where(and(...where))
    .orderBy(desc(contacts.createdAt), desc(contacts.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const identities = await identitiesOf(db, page.map((c) => c.id));
  const last = page[page.length - 1];
  return { items: page.map((c) => serializeContact(c, identities.get(c.id) ?? [])), nextCursor: rows.length > q.limit && last ? encodeCursor(last) : null };
}

async function getContactRow(db: Executor, scope: Scope, id: string, lock = false): Promise<ContactRow> {
  const query = db.select().from(contacts).where(and(contactScope(scope), eq(contacts.id, id)));
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw new NotFound("contact not found");
  return row;
}

export async function getContact(db: Executor, scope: Scope, id: string): Promise<Contact> {
  const row = await getContactRow(db, scope, id);
  return serializeContact(row, (await identitiesOf(db, [id])).get(id) ?? []);
}

/** The contact panel: the contact, notes (oldest first), and the conversations the caller may see (newest first). */
export async function getContactDetail(db: Executor, scope: Scope, id: string): Promise<z.infer<typeof ContactDetail>> {
  const contact = await getContact(db, scope, id);
  const notes = await db
    .select({ note: contactNotes, authorName: users.name })
    .from(contactNotes)
    .leftJoin(users, eq(users.id, contactNotes.authorId))
    .where(and(eq(contactNotes.workspaceId, scope.workspaceId), eq(contactNotes.contactId, id)))
    .orderBy(contactNotes.createdAt, contactNotes.id);
  const convs = await summaryRows(db, and(conversationScope(scope), eq(conversations.contactId, id)))
    .orderBy(desc(conversations.activityAt), desc(conversations.id))
    .limit(50);
  return {
    contact,
    notes: notes.map((n) => ({ id: n.note.id, text: n.note.text, authorId: n.note.authorId, authorName: n.authorName, createdAt: n.note.createdAt.toISOString() })),
    conversations: convs.map((r) =>
      serializeConversation(r.conversation, { id: r.contactId, name: r.contactName, avatarUrl: r.contactAvatarUrl }, { platform: r.platform, name: r.channelName }, r.assigneeName, r.teamName),
    ),
  };
}

/** Conversation ids of a contact, to tell open consoles that its name or conversations changed. */
async function conversationIdsOf(tx: Executor, contactId: string): Promise<string[]> {
  const rows = await tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.contactId, contactId)).limit(500);
  return rows.map((r) => r.id);
}

export async function updateContact(ctx: Pick<Ctx, "db" | "bus">, scope: Scope, id: string, input: z.output<typeof ContactUpdate>): Promise<Contact> {
  await inTransaction(ctx, async (tx, events) => {
    await getContactRow(tx, scope, id, true);
    await tx.update(contacts).set({ ...input, ...(input.name ? { nameChosenAt: new Date() } : {}) }).where(eq(contacts.id, id));
    await recordAudit(tx, scope, "contact.updated", "contact", id, { fields: Object.keys(input) });
    for (const conversationId of await conversationIdsOf(tx, id)) events.push({ type: "conversation.updated", workspaceId: scope.workspaceId, conversationId });
  });
  return getContact(ctx.db, scope, id);
}

export async function addContactNote(db: Executor, scope: Scope, contactId: string, text: string) {
  await getContactRow(db, scope, contactId);
  const [note] = await db.insert(contactNotes).values({ workspaceId: scope.workspaceId, contactId, authorId: scope.userId, text }).returning();
  const [author] = await db.select({ name: users.name }).from(users).where(eq(users.id, scope.userId));
  return { id: note!.id, text: note!.text, authorId: note!.authorId, authorName: author?.name ?? null, createdAt: note!.createdAt.toISOString() };
}

/**
 * Merges `otherId` into `keepId` in one transaction: identities, conversations and notes move, empty
 * details (email, phone, avatar) are filled from the other, each moved conversation's ledger records
 * it, and the other contact is deleted. Both must be visible to the caller.
 */
export async function mergeContacts(ctx: Pick<Ctx, "db" | "bus" | "clock">, scope: Scope, keepId: string, otherId: string): Promise<Contact> {
  await inTransaction(ctx, async (tx, events) => {
    // Outside the caller's scope is 404 first, so a 400 never confirms that a contact exists.
    if (keepId === otherId) {
      await getContactRow(tx, scope, keepId);
      throw new BadRequest("a contact cannot be merged with itself", "merge_same_contact");
    }
    // Locked in id order, so two merges of the same pair in opposite directions cannot deadlock.
    const [firstId, secondId] = [keepId, otherId].sort() as [string, string];
    const first = await getContactRow(tx, scope, firstId, true);
    const second = await getContactRow(tx, scope, secondId, true);
    const keep = first.id === keepId ? first : second;
    const other = first.id === keepId ? second : first;

    await tx.update(contactIdentities).set({ contactId: keep.id }).where(eq(contactIdentities.contactId, other.id));
    await tx.update(contactNotes).set({ contactId: keep.id }).where(eq(contactNotes.contactId, other.id));
    const moved = await tx.update(conversations).set({ contactId: keep.id, updatedAt: new Date() }).where(eq(conversations.contactId, other.id)).returning({ id: conversations.id });
    await tx
      .update(contacts)
      // The kept name was chosen by a person now: the other platform's display name must not replace it.
      .set({ email: keep.email ?? other.email, phone: keep.phone ?? other.phone, avatarUrl: keep.avatarUrl ?? other.avatarUrl, nameChosenAt: keep.nameChosenAt ?? new Date() })
      .where(eq(contacts.id, keep.id));
    await tx.delete(contacts).where(eq(contacts.id, other.id));

    const now = ctx.clock.now();
    await appendLedger(
      tx,
      moved.map((c) => ({
        workspaceId: scope.workspaceId,
        conversationId: c.id,
        type: "contact_merged" as const,
        actor: "agent" as const,
        actorUserId: scope.userId,
        data: { fromContactId: other.id, toContactId: keep.id },
        at: now,
      })),
    );
    await recordAudit(tx, scope, "contact.merged", "contact", keep.id, { mergedContactId: other.id, conversations: moved.length });
    for (const conversationId of await conversationIdsOf(tx, keep.id)) events.push({ type: "conversation.updated", workspaceId: scope.workspaceId, conversationId });
  });
  return getContact(ctx.db, scope, keepId);
}
