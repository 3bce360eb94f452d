import { z } from "zod";
import { Role, uuid } from "./common.js";

export const User = z.object({
  id: uuid,
  email: z.email(),
  name: z.string(),
  role: Role,
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
