import { z } from "zod";
import { ErrorCode } from "./errors.js";

export const uuid = z.uuid();
export const isoDate = z.string().describe("ISO 8601 timestamp");

export const roles = ["admin", "supervisor", "agent"] as const;
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const platforms = ["api", "facebook", "instagram", "whatsapp", "x", "telegram", "google_reviews", "trustpilot"] as const;
export const Platform = z.enum(platforms);
export type Platform = z.infer<typeof Platform>;

export const conversationKinds = ["dm", "comment", "mention", "review"] as const;
export const ConversationKind = z.enum(conversationKinds);

export const conversationStatuses = ["open", "pending", "snoozed", "resolved"] as const;
export const ConversationStatus = z.enum(conversationStatuses);
export type ConversationStatus = z.infer<typeof ConversationStatus>;

export const Owner = z.enum(["bot", "human"]);
export type Owner = z.infer<typeof Owner>;

export const priorities = ["low", "normal", "high", "urgent"] as const;
export const Priority = z.enum(priorities);
export type Priority = z.infer<typeof Priority>;

/** Why a conversation passed from a bot to people: one vocabulary in the API, the ledger, reports and bot evaluation. */
export const handoffReasons = ["customer_request", "sensitive", "negative_review", "no_answer", "bot_unavailable", "max_turns", "agent_takeover"] as const;
export const HandoffReason = z.enum(handoffReasons);
export type HandoffReason = z.infer<typeof HandoffReason>;

export const availabilities = ["online", "away", "offline"] as const;
export const Availability = z.enum(availabilities);
export type Availability = z.infer<typeof Availability>;

/** A cursor of a paged list: opaque to clients. */
export const Cursor = z.string().max(300);

export const ErrorBody = z.object({
  error: z.string().describe("What was wrong, in words a person can act on"),
  code: ErrorCode.describe("Stable machine-readable kind of the error (shared/schemas/errors.ts)"),
  issues: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .describe("One entry per invalid field"),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Empty = z.object({});
