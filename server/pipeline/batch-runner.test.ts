import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BatchRunner } from "./batch-runner.js";

type Item = { key: string; n: number };

/** A runner whose batches finish when the test says so, recording what each batch held. */
function harness(options: { maxBatch?: number; maxConcurrent?: number; spillAfterMs?: number } = {}) {
  const batches: Item[][] = [];
  const finishers: Array<() => void> = [];
  const runner = new BatchRunner<Item>(
    { maxBatch: options.maxBatch ?? 100, maxConcurrent: options.maxConcurrent ?? 2, spillAfterMs: options.spillAfterMs ?? 40 },
    (batch) =>
      new Promise<void>((resolve) => {
        batches.push(batch);
        finishers.push(resolve);
      }),
  );
  const push = (key: string, n: number) => runner.push({ key, n }, key);
  const finish = async (i: number) => {
    finishers[i]!();
    await tick(); // the batch's end is seen, and the next batch is scheduled
    await tick(); // the next batch starts
  };
  return { runner, batches, push, finish };
}

// Fake timers (setImmediate, setTimeout and Date.now): what starts when does not hang on the machine's load.
const tick = () => vi.advanceTimersByTimeAsync(0);
const sleep = (ms: number) => vi.advanceTimersByTimeAsync(ms);
const numbers = (batch: Item[] | undefined) => (batch ?? []).map((i) => i.n);

describe("BatchRunner", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("takes everything that arrived while the batch before it ran, in one batch", async () => {
    const h = harness();
    h.push("a", 1);
    await tick();
    expect(h.batches).toHaveLength(1);
    for (let n = 2; n <= 6; n++) h.push(`k${n}`, n);
    await tick();
    expect(h.batches).toHaveLength(1); // the first batch is quick so far: the others wait for it
    await h.finish(0);
    expect(h.batches).toHaveLength(2);
    expect(numbers(h.batches[1])).toEqual([2, 3, 4, 5, 6]);
  });

  it("splits a long queue into batches of at most maxBatch, in arrival order", async () => {
    const h = harness({ maxBatch: 3, maxConcurrent: 1 });
    for (let n = 1; n <= 7; n++) h.push(`k${n}`, n);
    await tick();
    await h.finish(0);
    await h.finish(1);
    expect(h.batches.map(numbers)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it("lets a second batch start beside one that runs longer than spillAfterMs, without its keys", async () => {
    const h = harness({ spillAfterMs: 30 });
    h.push("slow", 1);
    await tick();
    h.push("slow", 2); // same thread: must wait for the first
    h.push("other", 3);
    h.push("slow", 4);
    h.push("third", 5);
    await sleep(10);
    expect(h.batches).toHaveLength(1);
    await sleep(40);
    expect(h.batches).toHaveLength(2);
    expect(numbers(h.batches[1])).toEqual([3, 5]);
    expect(h.runner.active).toBe(2);
    await h.finish(1);
    expect(h.batches).toHaveLength(2); // the slow thread's items still wait for its running batch
    await h.finish(0);
    expect(numbers(h.batches[2])).toEqual([2, 4]);
  });

  it("never runs more than maxConcurrent batches", async () => {
    const h = harness({ maxConcurrent: 2, spillAfterMs: 10 });
    h.push("a", 1);
    await tick();
    h.push("b", 2);
    await sleep(30);
    h.push("c", 3);
    await sleep(30);
    expect(h.batches).toHaveLength(2);
    expect(h.runner.active).toBe(2);
    await h.finish(0);
    expect(numbers(h.batches[2])).toEqual([3]);
  });

  it("keeps a key's order when an earlier item of it waits behind a full batch", async () => {
    const h = harness({ maxBatch: 2, maxConcurrent: 1 });
    h.push("x", 1);
    h.push("y", 2);
    h.push("x", 3);
    h.push("z", 4);
    await tick();
    expect(numbers(h.batches[0])).toEqual([1, 2]);
    await h.finish(0);
    expect(numbers(h.batches[1])).toEqual([3, 4]);
  });

  it("with one lane, waits for each batch however long it runs", async () => {
    const h = harness({ maxConcurrent: 1, spillAfterMs: 5 });
    h.push("a", 1);
    await tick();
    h.push("b", 2);
    await sleep(30);
    expect(h.batches).toHaveLength(1);
    await h.finish(0);
    expect(numbers(h.batches[1])).toEqual([2]);
  });
});
