import { z } from "zod";
import { isoDate, uuid } from "./common.js";

export const ReportQuery = z
  .object({
    from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    channelId: uuid.optional(),
  })
  .describe("from is inclusive, to exclusive; a bare date means midnight UTC; default: the last 7 days");

export const Stat = z.object({
  count: z.number().int(),
  mean: z.number().nullable(),
  median: z.number().nullable(),
  p90: z.number().nullable(),
});
export type Stat = z.infer<typeof Stat>;

export const ResponseTimesReport = z.object({
  from: isoDate,
  to: isoDate,
  firstResponseTime: Stat,
  replyTime: Stat,
  resolutionTime: Stat,
});
export type ResponseTimesReport = z.infer<typeof ResponseTimesReport>;
