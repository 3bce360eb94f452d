import type { AssignmentPolicy } from "../../shared/schemas/teams.js";

/** An online, active member of the team, with their open load and their turn. */
export type Candidate = { id: string; load: number; lastAssignedSeq: number };

/**
 * Who gets the next conversation, or null if nobody has room. Members at capacity (open assigned
 * conversations, in any team) are skipped by both policies.
 * - round_robin: the member whose turn came longest ago (never assigned first), so arrivals rotate evenly;
 * - least_loaded: the member with the fewest open conversations; among equals, whose turn came longest ago.
 * Ties end on the id, so the choice never depends on the order rows came back in.
 */
export function pickAssignee(policy: Exclude<AssignmentPolicy, "manual">, capacity: number | null, candidates: Candidate[]): Candidate | null {
  const free = candidates.filter((c) => capacity === null || c.load < capacity);
  const byTurn = (a: Candidate, b: Candidate) => a.lastAssignedSeq - b.lastAssignedSeq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  free.sort(policy === "least_loaded" ? (a, b) => a.load - b.load || byTurn(a, b) : byTurn);
  return free[0] ?? null;
}
