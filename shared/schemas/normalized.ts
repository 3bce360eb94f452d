import { z } from "zod";
import { ConversationKind } from "./common.js";

/** What a connector turns a platform's raw delivery into; the ingest job stores these. */
export const NormalizedMessage = z.object({
  type: z.literal("message"),
  thread: z.object({ kind: ConversationKind, key: z.string().min(1) }),
  contact: z.object({ externalId: z.string().min(1), name: z.string().optional() }),
  message: z.object({ externalId: z.string().min(1), text: z.string() }),
});

export const NormalizedReceipt = z.object({
  type: z.literal("receipt"),
  /** Parley's own message id, as the platform echoes it back. */
  messageId: z.string().min(1),
  status: z.enum(["delivered", "read", "failed"]),
  reason: z.string().optional(),
});

export const NormalizedEvent = z.discriminatedUnion("type", [NormalizedMessage, NormalizedReceipt]);
export type NormalizedEvent = z.infer<typeof NormalizedEvent>;
