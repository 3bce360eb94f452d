import { z } from "zod";
import { Availability, Role, uuid } from "./common.js";

export const User = z.object({
  id: uuid,
  email: z.email(),
  name: z.string(),
  role: Role,
  /** A deactivated user cannot log in and is never assigned; their history stays. */
  active: z.boolean(),
  availability: Availability,
});
export type User = z.infer<typeof User>;

export const LoginRequest = z.object({
  email: z.email(),
  password: z.string().min(1).max(1024),
});

export const UserResponse = z.object({ user: User });
export const MeResponse = z.object({
  user: User,
  workspace: z.object({ id: uuid, name: z.string() }),
});

const password = z.string().min(10, "must be at least 10 characters").max(1024);

/** Profile changes by the user; a new password needs the current one and ends their other sessions. */
export const UpdateMeRequest = z
  .object({
    name: z.string().trim().min(1).max(200),
    currentPassword: z.string().min(1).max(1024),
    newPassword: password,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "give at least one field")
  .refine((v) => !v.newPassword || v.currentPassword, { path: ["currentPassword"], message: "needed to set a new password" });

export const AvailabilityRequest = z.object({ availability: Availability });

/** Sets a password from a one-time link (an invitation or a reset). */
export const SetPasswordRequest = z.object({ token: z.string().min(20).max(200), password });
export const TokenInfoQuery = z.object({ token: z.string().min(20).max(200) });
export const TokenInfo = z.object({ email: z.email(), name: z.string(), purpose: z.enum(["invite", "reset"]), expiresAt: z.string() });
