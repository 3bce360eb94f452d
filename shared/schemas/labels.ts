import { z } from "zod";
import { isoDate, uuid } from "./common.js";

/** A workspace label: admins manage them; conversations carry their names. */
export const Label = z.object({
  id: uuid,
  name: z.string(),
  color: z.string().describe("#rrggbb"),
  description: z.string().nullable(),
  createdAt: isoDate,
});
export type Label = z.infer<typeof Label>;

export const LabelInput = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .regex(/^[^,]+$/, "must not contain a comma"),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, "a colour like #1f6feb"),
  description: z.string().trim().max(200).nullable().optional(),
});
export const LabelUpdate = LabelInput.partial().refine((v) => Object.keys(v).length > 0, "give at least one field");
export const LabelList = z.object({ items: z.array(Label) });
export const LabelResponse = z.object({ label: Label });
