import { createHash } from "node:crypto";

/** What a stored contact holds of a platform's profile. */
type StoredProfile = { name: string; nameChosenAt: Date | null; avatarUrl: string | null };
/** What one delivery says of the customer. */
type SentProfile = { name?: string; avatarUrl?: string };

/**
 * What a platform's latest profile changes on a stored contact: the display name (unless a person
 * chose one) and the picture (the latest seen on any of its identities). Absent values keep what is
 * stored: a delivery without a picture never clears one. Both ingest paths use it.
 */
export function profileChanges(stored: StoredProfile, sent: SentProfile): { name?: string; avatarUrl?: string } {
  const changes: { name?: string; avatarUrl?: string } = {};
  if (sent.name && sent.name !== stored.name && !stored.nameChosenAt) changes.name = sent.name;
  if (sent.avatarUrl && sent.avatarUrl !== stored.avatarUrl) changes.avatarUrl = sent.avatarUrl;
  return changes;
}

/**
 * The contact's picture as the API gives it: Parley's own path (the console's img-src allows only
 * its origin, and the platform's URL never reaches the browser), versioned by the source URL so a
 * changed picture is fetched again despite the cache.
 */
export function avatarPath(contactId: string, source: string | null): string | null {
  if (!source) return null;
  return `/api/contacts/${contactId}/avatar?v=${createHash("sha256").update(source).digest("hex").slice(0, 12)}`;
}
