import { z } from "zod";
import { Role, uuid } from "./common.js";
import { User } from "./auth.js";

export const CreateUserRequest = z.object({
  email: z.email(),
  name: z.string().trim().min(1).max(200),
  role: Role,
  password: z.string().min(10, "must be at least 10 characters").max(1024),
});

export const UpdateUserRequest = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: Role,
    password: z.string().min(10, "must be at least 10 characters").max(1024),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "give at least one of name, role, password");

export const UserIdParams = z.object({ id: uuid });
export const UserList = z.object({ items: z.array(User) });
