import { z } from "zod";
import { isoDate, Platform, uuid } from "./common.js";
import { ConversationSummary } from "./conversations.js";

export const ContactIdentity = z.object({
  channelId: uuid,
  channelName: z.string(),
  platform: Platform,
  externalId: z.string(),
  /** A handle or profile link where the platform gives one. */
  handle: z.string().nullable(),
  blockedAt: isoDate.nullable(),
});

export const ContactNote = z.object({ id: uuid, text: z.string(), authorId: uuid.nullable(), authorName: z.string().nullable(), createdAt: isoDate });

export const Contact = z.object({
  id: uuid,
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  /** Parley's own path to the profile picture (`/api/contacts/:id/avatar?v=…`), never the platform's URL; null when none is known. */
  avatarUrl: z.string().nullable(),
  identities: z.array(ContactIdentity),
  createdAt: isoDate,
});
export type Contact = z.infer<typeof Contact>;

export const ContactDetail = z.object({
  contact: Contact,
  notes: z.array(ContactNote),
  /** Newest first. */
  conversations: z.array(ConversationSummary),
});

export const ContactUpdate = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().nullable(),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()-]{4,30}$/, "a phone number")
      .nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "give at least one of name, email, phone");

export const ContactNoteInput = z.object({ text: z.string().trim().min(1).max(4000) });
export const ContactMergeRequest = z.object({ otherId: uuid });
export const ContactIdParams = z.object({ id: uuid });
/** `v` changes with the picture's source, so a cached old picture is not shown for a new one. */
export const ContactAvatarQuery = z.object({ v: z.string().max(64).optional() });
export const ContactListQuery = z.object({ q: z.string().trim().max(200).optional(), limit: z.coerce.number().int().min(1).max(100).default(25), cursor: z.string().max(300).optional() });
export const ContactList = z.object({ items: z.array(Contact), nextCursor: z.string().nullable() });
export const ContactResponse = z.object({ contact: Contact });
export const ContactNoteResponse = z.object({ note: ContactNote });
