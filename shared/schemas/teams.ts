import { z } from "zod";
import { Availability, isoDate, uuid } from "./common.js";

/** "HH:MM" on a 24-hour clock; "24:00" ends a day. */
const clockTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, "a time like 09:00 (24:00 ends the day)");
const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/** One opening of a day, in the calendar's local time: from is included, to is not. */
export const OpeningHours = z
  .object({ from: clockTime, to: clockTime })
  .refine((o) => minutes(o.from) < minutes(o.to), { message: "from must be before to", path: ["to"] });

const day = z
  .array(OpeningHours)
  .max(6)
  .default([])
  .refine((list) => list.every((o, i) => i === 0 || minutes(list[i - 1]!.to) <= minutes(o.from)), "openings must be in order and must not overlap");

export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof weekdays)[number];

/**
 * When a team (or the whole workspace) is at work: a time zone, the opening hours of each weekday in
 * that zone's local time, and holidays (local dates, closed all day). SLA clocks of policies with
 * `businessHours: true` run only inside these hours.
 */
export const BusinessHours = z
  .object({
    timeZone: z.string().min(1).max(64).describe("IANA time zone, e.g. Europe/Berlin"),
    weekly: z.object({ mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day }),
    holidays: z
      .array(z.object({ date: z.iso.date().describe("YYYY-MM-DD in the calendar's time zone"), name: z.string().trim().max(100).optional() }))
      .max(366)
      .default([]),
  })
  .refine((b) => weekdays.some((d) => b.weekly[d].length > 0), { message: "open at least one hour a week", path: ["weekly"] });
export type BusinessHours = z.infer<typeof BusinessHours>;

export const BusinessHoursResponse = z.object({
  businessHours: BusinessHours,
  /** true while the workspace has not set its hours: then they are "always open" in UTC. */
  isDefault: z.boolean(),
});

export const assignmentPolicies = ["manual", "round_robin", "least_loaded"] as const;
export const AssignmentPolicy = z.enum(assignmentPolicies);
export type AssignmentPolicy = z.infer<typeof AssignmentPolicy>;

/**
 * How a team's queue is served. round_robin: online members in turn; least_loaded: the online member
 * with the fewest open conversations. capacity (both automatic policies): an online member with this
 * many open assigned conversations gets no more until one is resolved or moved. whenOffline: a member
 * going offline returns their open conversations of this team to its queue (requeue) or keeps them.
 */
export const TeamAssignment = z.object({
  policy: AssignmentPolicy,
  capacity: z.number().int().min(1).max(1000).nullable().default(null),
  whenOffline: z.enum(["requeue", "keep"]).default("requeue"),
});

export const TeamMember = z.object({
  id: uuid,
  name: z.string(),
  availability: Availability,
  active: z.boolean(),
  /** Open conversations assigned to this person (in any team): what capacity counts. */
  openConversations: z.number().int(),
});

export const Team = z.object({
  id: uuid,
  name: z.string(),
  memberIds: z.array(uuid),
  members: z.array(TeamMember),
  /** A channel belongs to at most one team: its conversations join that team's queue. */
  channelIds: z.array(uuid),
  assignment: z.object({ policy: AssignmentPolicy, capacity: z.number().int().nullable(), whenOffline: z.enum(["requeue", "keep"]) }),
  /** The team's own hours; null uses the workspace's (GET /api/business-hours). */
  businessHours: BusinessHours.nullable(),
  /** Open conversations of this team waiting for a person (no one assigned). */
  waiting: z.number().int(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type Team = z.infer<typeof Team>;

const teamName = z.string().trim().min(1).max(100);

export const CreateTeamRequest = z.object({
  name: teamName,
  memberIds: z.array(uuid).max(500).default([]),
  channelIds: z.array(uuid).max(500).default([]),
  assignment: TeamAssignment.default({ policy: "manual", capacity: null, whenOffline: "requeue" }),
  businessHours: BusinessHours.nullable().default(null),
});

export const UpdateTeamRequest = z
  .object({
    name: teamName,
    memberIds: z.array(uuid).max(500),
    channelIds: z.array(uuid).max(500),
    assignment: TeamAssignment.partial().refine((v) => Object.keys(v).length > 0, "give at least one of policy, capacity, whenOffline"),
    businessHours: BusinessHours.nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "give at least one of name, memberIds, channelIds, assignment, businessHours");

export const TeamIdParams = z.object({ id: uuid });
export const TeamList = z.object({ items: z.array(Team) });
export const TeamResponse = z.object({ team: Team });
