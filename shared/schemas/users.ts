import { z } from "zod";
import { Role, uuid } from "./common.js";
import { User } from "./auth.js";

export const CreateUserRequest = z.object({
  email: z.email(),
  name: z.string().trim().min(1).max(200),
  role: Role,
  password: z.string().min(10, "must be at least 10 characters").max(1024),
});

/** Invites a person: they set their own password from the one-time link (shown once; valid 7 days). */
export const InviteUserRequest = z.object({
  email: z.email(),
  name: z.string().trim().min(1).max(200),
  role: Role,
});
export const InviteResponse = z.object({ user: User, link: z.string(), expiresAt: z.string() });

export const UpdateUserRequest = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: Role,
    password: z.string().min(10, "must be at least 10 characters").max(1024),
    /** false deactivates: their sessions and live connections end at once. */
    active: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "give at least one of name, role, password, active");

export const UserIdParams = z.object({ id: uuid });
export const UserList = z.object({ items: z.array(User) });
/** A one-time password-reset link for a user, made by an admin (shown once; valid 24 hours). */
export const ResetLinkResponse = z.object({ link: z.string(), expiresAt: z.string() });
