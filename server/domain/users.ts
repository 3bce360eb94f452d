import type { User } from "../../shared/schemas/auth.js";
import { users } from "../db/schema.js";

type UserRow = Pick<typeof users.$inferSelect, "id" | "email" | "name" | "role" | "deactivatedAt" | "availability">;

/** The columns a User is made of, for selects and returning(). */
export const userColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  deactivatedAt: users.deactivatedAt,
  availability: users.availability,
};

export function serializeUser(row: UserRow): User {
  return { id: row.id, email: row.email, name: row.name, role: row.role, active: !row.deactivatedAt, availability: row.availability };
}
