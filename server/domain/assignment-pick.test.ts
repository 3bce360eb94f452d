import { describe, expect, it } from "vitest";
import { type Candidate, pickAssignee } from "./assignment-pick.js";

const team = (...loads: number[]): Candidate[] => loads.map((load, i) => ({ id: `u${i}`, load, lastAssignedSeq: 0 }));

/** Assigns n arrivals one by one, as the team's queue pass does, and returns how many each got. */
function serve(policy: "round_robin" | "least_loaded", capacity: number | null, members: Candidate[], n: number) {
  let seq = Math.max(0, ...members.map((m) => m.lastAssignedSeq));
  const got = new Map(members.map((m) => [m.id, 0]));
  for (let i = 0; i < n; i++) {
    const pick = pickAssignee(policy, capacity, members);
    if (!pick) break;
    pick.load++;
    pick.lastAssignedSeq = ++seq;
    got.set(pick.id, got.get(pick.id)! + 1);
  }
  return [...got.values()];
}

describe("choosing the assignee", () => {
  it("round robin rotates evenly whatever the loads: 30 arrivals on 3 members are 10 each", () => {
    expect(serve("round_robin", null, team(0, 5, 2), 30)).toEqual([10, 10, 10]);
  });

  it("round robin gives a newcomer a turn at once, then rotates", () => {
    const members = [
      { id: "a", load: 0, lastAssignedSeq: 7 },
      { id: "b", load: 0, lastAssignedSeq: 8 },
      { id: "c", load: 0, lastAssignedSeq: 0 },
    ];
    expect(pickAssignee("round_robin", null, members)!.id).toBe("c");
    expect(serve("round_robin", null, members, 6)).toEqual([2, 2, 2]);
  });

  it("least loaded fills the emptiest first and levels the loads", () => {
    // Loads 3, 0, 1: the second member until it catches up with the third, then those two in turn.
    expect(serve("least_loaded", null, team(3, 0, 1), 5)).toEqual([0, 3, 2]);
    const members = team(4, 0, 2);
    serve("least_loaded", null, members, 9);
    expect(members.map((m) => m.load)).toEqual([5, 5, 5]);
  });

  it("nobody gets more than the capacity, under either policy", () => {
    expect(serve("least_loaded", 2, team(0, 1, 2), 10)).toEqual([2, 1, 0]);
    expect(serve("round_robin", 2, team(0, 1, 2), 10)).toEqual([2, 1, 0]);
    expect(pickAssignee("round_robin", 1, team(1, 1))).toBeNull();
    expect(pickAssignee("least_loaded", null, [])).toBeNull();
  });

  it("ties never depend on the order members come in", () => {
    const a = pickAssignee("least_loaded", null, [{ id: "b", load: 1, lastAssignedSeq: 3 }, { id: "a", load: 1, lastAssignedSeq: 3 }]);
    const b = pickAssignee("least_loaded", null, [{ id: "a", load: 1, lastAssignedSeq: 3 }, { id: "b", load: 1, lastAssignedSeq: 3 }]);
    expect(a!.id).toBe("a");
    expect(b!.id).toBe("a");
  });
});
