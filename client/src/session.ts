import { createContext, useContext } from "react";
import type { z } from "zod";
import type { MeResponse, User } from "../../shared/schemas/index.js";

export type Session = z.infer<typeof MeResponse>;

export interface SessionContextValue extends Session {
  logout: () => void;
  /** A newer copy of me (profile, availability, a live user.updated). */
  updateUser: (user: User) => void;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside of a logged-in session");
  return value;
}
