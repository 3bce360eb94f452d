import { sql } from "drizzle-orm";
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

// Tables of the console's contact panel and composer: saved replies and notes about customers.
// schema.ts re-exports this file; the references below are only read lazily, so the cycle is harmless.
import { contacts, users, workspaces } from "./schema.js";

const id = () => uuid("id").primaryKey().default(sql`gen_random_uuid()`);
const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

/** A saved reply shared by the workspace, inserted in the composer with /shortcut. */
export const cannedResponses = pgTable(
  "canned_responses",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    shortcut: text("shortcut").notNull(),
    title: text("title").notNull(),
    text: text("text").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: at("created_at").notNull().defaultNow(),
    updatedAt: at("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("canned_responses_shortcut_key").on(t.workspaceId, t.shortcut)],
);

/** What agents wrote down about a customer; moves with the contact when contacts merge. */
export const contactNotes = pgTable(
  "contact_notes",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    contactId: uuid("contact_id").notNull().references(() => contacts.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    text: text("text").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [index("contact_notes_contact_idx").on(t.contactId, t.createdAt)],
);
