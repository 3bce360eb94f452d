import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

// Tables of the console's "finding" features: workspace labels and each user's saved inbox views.
// schema.ts re-exports this file; the references below are only read lazily, so the cycle is harmless.
import { users, workspaces } from "./schema.js";

const id = () => uuid("id").primaryKey().default(sql`gen_random_uuid()`);
const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });

/** A label admins manage; conversations carry label names (conversations.labels), so a rename rewrites them. */
export const labels = pgTable(
  "labels",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    name: text("name").notNull(),
    color: text("color").notNull(),
    description: text("description"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("labels_workspace_name_key").on(t.workspaceId, sql`lower(${t.name})`)],
);

/** One user's named set of inbox filters. */
export const savedViews = pgTable(
  "saved_views",
  {
    id: id(),
    workspaceId: uuid("workspace_id").notNull().references(() => workspaces.id),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    filters: jsonb("filters").$type<Record<string, unknown>>().notNull().default({}),
    sort: text("sort", { enum: ["activity", "breach", "waiting"] }).notNull().default("activity"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [index("saved_views_user_idx").on(t.userId, t.createdAt)],
);
