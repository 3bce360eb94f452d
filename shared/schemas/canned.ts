import { z } from "zod";
import { isoDate, uuid } from "./common.js";

/** A saved reply an agent inserts with /shortcut; {{variables}} are filled when inserted. */
export const CannedResponse = z.object({
  id: uuid,
  shortcut: z.string(),
  title: z.string(),
  text: z.string(),
  createdBy: uuid.nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type CannedResponse = z.infer<typeof CannedResponse>;

export const CannedResponseInput = z.object({
  shortcut: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "letters, digits, - and _ only, at most 32"),
  title: z.string().trim().min(1).max(200),
  text: z.string().trim().min(1).max(4096),
});
export const CannedResponseUpdate = CannedResponseInput.partial().refine((v) => Object.keys(v).length > 0, "give at least one field");
export const CannedResponseQuery = z.object({ q: z.string().trim().max(100).optional() });
export const CannedResponseList = z.object({ items: z.array(CannedResponse) });
export const CannedResponseResponse = z.object({ cannedResponse: CannedResponse });

/** The variables a canned reply may use. */
export const cannedVariables = ["contact.name", "contact.first_name", "agent.name", "agent.first_name", "channel.name", "conversation.id"] as const;
export type CannedVariables = Partial<Record<(typeof cannedVariables)[number], string>>;

/** Fills {{variable}} placeholders; unknown or missing ones are left as written so the agent sees them. */
export function fillCanned(text: string, vars: CannedVariables): string {
  return text.replace(/\{\{\s*([a-z_.]+)\s*\}\}/g, (whole, name: string) => vars[name as keyof CannedVariables] ?? whole);
}
