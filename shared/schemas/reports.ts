import { z } from "zod";
import { Availability, HandoffReason, isoDate, uuid } from "./common.js";

const period = {
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  channelId: uuid.optional(),
  teamId: uuid.optional(),
};
const periodNote = "from is inclusive, to exclusive; a bare date means midnight UTC; default: the last 7 days";

export const reportGroupings = ["agent", "team", "channel", "day", "hour"] as const;
export const ReportGrouping = z.enum(reportGroupings);
export type ReportGrouping = z.infer<typeof ReportGrouping>;

export const ReportQuery = z
  .object({
    ...period,
    agentId: uuid.optional().describe("only responses and resolutions credited to this person"),
    businessHours: z
      .enum(["true", "false"])
      .optional()
      .describe("true: count only the business time between start and end (the conversation's team's hours, else the workspace's)"),
    groupBy: ReportGrouping.optional().describe("also answer one row per agent, team, channel, day or hour of the day (days and hours in timeZone)"),
    timeZone: z.string().min(1).max(64).optional().describe("IANA time zone of groupBy=day|hour; default UTC"),
    format: z.enum(["json", "csv"]).optional().describe("csv: text/csv, a header row, then the totals and the rows"),
  })
  .describe(periodNote);
export type ReportQuery = z.infer<typeof ReportQuery>;

export const Stat = z.object({
  count: z.number().int(),
  mean: z.number().nullable(),
  median: z.number().nullable(),
  p90: z.number().nullable(),
});
export type Stat = z.infer<typeof Stat>;

export const ReportRow = z.object({
  /** The agent, team or channel id (null: no agent, no team), the day (YYYY-MM-DD) or the hour ("00"-"23"). */
  key: z.string().nullable(),
  label: z.string(),
  firstResponseTime: Stat,
  replyTime: Stat,
  resolutionTime: Stat,
});
export type ReportRow = z.infer<typeof ReportRow>;

export const ResponseTimesReport = z.object({
  from: isoDate,
  to: isoDate,
  businessHours: z.boolean(),
  firstResponseTime: Stat,
  replyTime: Stat,
  resolutionTime: Stat,
  groupBy: ReportGrouping.nullable(),
  rows: z.array(ReportRow),
});
export type ResponseTimesReport = z.infer<typeof ResponseTimesReport>;

export const OverviewQuery = z.object(period).describe(periodNote);
export type OverviewQuery = z.infer<typeof OverviewQuery>;

export const OverviewReport = z.object({
  from: isoDate,
  to: isoDate,
  /** Conversations started in the period. */
  conversations: z.number().int(),
  /** Customer messages received in the period. */
  messagesIn: z.number().int(),
  /** Replies sent in the period by people, bots and the system (notes and cancelled replies excluded). */
  messagesOut: z.number().int(),
  /** Conversations a bot started in, in the period (the containment denominator). */
  botConversations: z.number().int(),
  /** Of those, resolved by the bot with no human message and no hand-off (docs/metrics.md: containment). */
  botResolved: z.number().int(),
  containment: z.number().nullable(),
  /** Hand-offs in the period, per reason. */
  handedOff: z.record(HandoffReason, z.number().int()),
  /** SLA targets met or breached in the period (by outcome time), and met / (met + breached). */
  sla: z.object({ met: z.number().int(), breached: z.number().int(), attainment: z.number().nullable() }),
  /** Platform reply windows (Messenger's, WhatsApp's 24 h) that closed in the period before a person replied. */
  replyWindowsExpired: z.number().int(),
});
export type OverviewReport = z.infer<typeof OverviewReport>;

export const LiveQuery = z.object({ teamId: uuid.optional() });

export const LiveWaiting = z.object({ conversationId: uuid, channelId: uuid, teamId: uuid.nullable(), since: isoDate, waitSeconds: z.number() });

export const LiveReport = z.object({
  at: isoDate,
  /** Open, people-owned conversations nobody is assigned to: a team queue (queued_at). */
  waiting: z.object({ count: z.number().int(), longestWaitSeconds: z.number().nullable(), oldest: z.array(LiveWaiting) }),
  /** Running SLA deadlines past their warning, and breached ones still waiting for their reply or resolution. */
  sla: z.object({ atRisk: z.number().int(), breached: z.number().int() }),
  agents: z.array(z.object({ id: uuid, name: z.string(), role: z.string(), availability: Availability, openConversations: z.number().int() })),
  byAvailability: z.record(Availability, z.number().int()),
  /** Conversations not resolved that a bot owns. */
  botOwned: z.number().int(),
});
export type LiveReport = z.infer<typeof LiveReport>;
