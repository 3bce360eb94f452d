import type { ReplyOptions } from "../../../shared/schemas/index.js";

export type Template = ReplyOptions["templates"][number];

const PLACEHOLDER = /\{\{(\d+)\}\}/g;

/** How many parameters a template body takes: its highest {{n}}. */
export function paramCount(body: string): number {
  let max = 0;
  for (const match of body.matchAll(PLACEHOLDER)) max = Math.max(max, Number(match[1]));
  return Math.min(max, 20);
}

/** The body as the customer will read it; unfilled parameters stay as {{n}}. */
export function fillTemplate(body: string, params: string[]): string {
  return body.replace(PLACEHOLDER, (whole, n: string) => params[Number(n) - 1]?.trim() || whole);
}
