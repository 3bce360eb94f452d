import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "../db/client.js";
import { contactIdentities, contacts, messages } from "../db/schema.js";

/**
 * How a search box's text becomes database conditions. Messages use full-text search with the 'simple'
 * configuration (no stemming, so every language matches as written) and a prefix on the last word, so
 * "refu" finds "refund" while typing; the words before it are whole words, as search boxes that
 * complete the last word treat them (a prefix on a common word expands to thousands of index entries,
 * five times slower on a large workspace). Names and platform ids use pg_trgm-indexed substring matching.
 */

/** The words of a query, lower-cased; at most eight, so a pasted paragraph stays one cheap query. */
export function searchWords(q: string): string[] {
  return q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8);
}

/**
 * A to_tsquery text that is safe whatever the user typed (only letters and digits reach it), or null:
 * every word must match, the last one as a prefix.
 */
export function prefixTsquery(q: string): string | null {
  const words = searchWords(q);
  return words.length ? words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(" & ") : null;
}

/** The expression migration 0010 indexes; written identically here so the planner uses the index. */
export const messageVector = sql`to_tsvector('simple', ${messages.text})`;

export function messageMatches(tsquery: string): SQL {
  return sql`${messageVector} @@ to_tsquery('simple', ${tsquery})`;
}

/** An ILIKE pattern that matches q anywhere, with q's own wildcards taken literally. */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Contacts of the workspace whose name (or, from three characters, a platform id) contains q. */
export function contactIdsMatching(workspaceId: string, q: string): SQL {
  const pattern = containsPattern(q.trim());
  // A union rather than "or": each side can use its own trigram index.
  const byId = q.trim().length >= 3
    ? sql` union select ${contactIdentities.contactId} from ${contactIdentities} join ${contacts} on ${contacts.id} = ${contactIdentities.contactId} where ${contacts.workspaceId} = ${workspaceId} and ${contactIdentities.externalId} ilike ${pattern}`
    : sql``;
  return sql`select ${contacts.id} from ${contacts} where ${contacts.workspaceId} = ${workspaceId} and ${contacts.name} ilike ${pattern}${byId}`;
}

/**
 * Runs a search's statements in one transaction with two planner settings of its own (set_config(…,
 * true) is SET LOCAL: they end with it). No parallel workers: starting them cost 15-20 ms on a busy
 * 2-core machine, more than the index lookups they would share. No JIT: a prefix query's row estimate
 * is a guess, and a high guess made PostgreSQL compile the query for longer than it runs.
 */
export function withSearchSettings<T>(db: Executor, fn: (tx: Executor) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('max_parallel_workers_per_gather', '0', true), set_config('jit', 'off', true)`);
    return fn(tx);
  });
}
