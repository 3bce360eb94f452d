import type { Ctx } from "../context.js";
import type { Tx } from "../db/client.js";
import type { DomainEvent } from "../infra/event-bus.js";

/** Runs fn in one transaction and publishes the domain events it recorded only after the commit. */
export async function inTransaction<T>(ctx: Pick<Ctx, "db" | "bus">, fn: (tx: Tx, events: DomainEvent[]) => Promise<T>): Promise<T> {
  const events: DomainEvent[] = [];
  const result = await ctx.db.transaction((tx) => fn(tx, events));
  await ctx.bus.publish(events);
  return result;
}
