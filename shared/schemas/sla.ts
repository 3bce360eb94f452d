import { z } from "zod";
import { ConversationKind, isoDate, Priority, uuid } from "./common.js";

/** Targets a policy can set, and the platform's own reply window, which counts as a deadline too. */
export const slaMetrics = ["first_response", "next_response", "resolution", "reply_window"] as const;
export const SlaMetric = z.enum(slaMetrics);
export type SlaMetric = z.infer<typeof SlaMetric>;

/** Which conversations a policy applies to: every list given must contain the conversation's value; an empty or absent list matches all. */
export const SlaMatch = z.object({
  channelIds: z.array(uuid).max(500).default([]),
  kinds: z.array(ConversationKind).max(4).default([]),
  priorities: z.array(Priority).max(4).default([]),
  teamIds: z.array(uuid).max(500).default([]),
});

const target = z
  .number()
  .int()
  .min(60, "at least 60 seconds")
  .max(366 * 86400, "at most a year");

/**
 * A service-level policy. Policies are tried in `position` order; the first whose match fits the
 * conversation applies. With businessHours, its clocks run only inside the team's (or else the
 * workspace's) business hours.
 */
export const SlaPolicy = z.object({
  id: uuid,
  name: z.string(),
  position: z.number().int(),
  firstResponseSeconds: z.number().int().nullable(),
  nextResponseSeconds: z.number().int().nullable(),
  resolutionSeconds: z.number().int().nullable(),
  businessHours: z.boolean(),
  match: z.object({ channelIds: z.array(uuid), kinds: z.array(ConversationKind), priorities: z.array(Priority), teamIds: z.array(uuid) }),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type SlaPolicy = z.infer<typeof SlaPolicy>;

const hasTarget = (v: { firstResponseSeconds?: number | null; nextResponseSeconds?: number | null; resolutionSeconds?: number | null }) =>
  Boolean(v.firstResponseSeconds || v.nextResponseSeconds || v.resolutionSeconds);

export const CreateSlaPolicyRequest = z
  .object({
    name: z.string().trim().min(1).max(100),
    firstResponseSeconds: target.nullable().optional(),
    nextResponseSeconds: target.nullable().optional(),
    resolutionSeconds: target.nullable().optional(),
    businessHours: z.boolean().default(false),
    match: SlaMatch.default({ channelIds: [], kinds: [], priorities: [], teamIds: [] }),
    /** Where it goes in the order (0 = tried first); default last. */
    position: z.number().int().min(0).optional(),
  })
  .refine(hasTarget, { message: "give at least one of firstResponseSeconds, nextResponseSeconds, resolutionSeconds", path: ["firstResponseSeconds"] });

/** A change; position moves the policy to that place in the order (0 = first). */
export const UpdateSlaPolicyRequest = z
  .object({
    name: z.string().trim().min(1).max(100),
    firstResponseSeconds: target.nullable(),
    nextResponseSeconds: target.nullable(),
    resolutionSeconds: target.nullable(),
    businessHours: z.boolean(),
    match: SlaMatch,
    position: z.number().int().min(0),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "give at least one field");

export const SlaPolicyIdParams = z.object({ id: uuid });
export const SlaPolicyList = z.object({ items: z.array(SlaPolicy) });
export const SlaPolicyResponse = z.object({ policy: SlaPolicy });

/** One deadline of one conversation, kept for reports: met or breached once, never recomputed. */
export const SlaTarget = z.object({
  id: z.number().int(),
  conversationId: uuid,
  metric: SlaMetric,
  policyId: uuid.nullable(),
  status: z.enum(["running", "met", "breached", "cancelled"]),
  startedAt: isoDate,
  dueAt: isoDate,
  breachedAt: isoDate.nullable(),
  doneAt: isoDate.nullable(),
  agentId: uuid.nullable(),
});
export const SlaTargetList = z.object({ items: z.array(SlaTarget) });
