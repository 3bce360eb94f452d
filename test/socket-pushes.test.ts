import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitterRealtime, pushChannel, socketKey, type Realtime } from "../server/infra/realtime.js";
import { redisOptions } from "../server/infra/redis-connection.js";
import { scaled, waitFor } from "./helpers/parley.js";

/**
 * A worker's socket pushes cross Redis in batches (one publish per turn of the event loop), and a
 * join, leave or disconnect sends the pushes emitted before it first: a server process receives
 * them in the order the worker made them. Watched here from a plain Redis subscriber, as a server
 * process's adapter connection receives them.
 */
describe.runIf(scaled)("socket pushes from a worker", () => {
  const prefix = `parley-test-${randomBytes(5).toString("hex")}`;
  const received: Array<{ channel: string; message: string }> = [];
  let sub: Redis;
  let realtime: Realtime;

  beforeAll(async () => {
    const options = redisOptions(process.env.REDIS_URL!);
    sub = new Redis(options);
    sub.on("message", (channel: string, message: string) => received.push({ channel, message }));
    await sub.subscribe(pushChannel(prefix), `${socketKey(prefix)}-request#/#`);
    realtime = emitterRealtime(options, prefix);
  });

  afterAll(async () => {
    await realtime?.close();
    sub?.disconnect();
  });

  it("go out as one message per turn, in order, and before a join that follows them", async () => {
    realtime.emit("team:a", "conversation.updated", { conversation: { id: "c-1" } } as never);
    realtime.emit(["team:a", "user:u"], "message.created", { message: { id: "m-1" } } as never);
    realtime.emit("team:b", "message.created", { message: { id: "m-2" } } as never);
    realtime.join("user:u", "team:c");
    realtime.emit("team:c", "message.created", { message: { id: "m-3" } } as never);

    await waitFor(async () => received.length >= 3, "two push batches and the join", 5_000);
    const [first, join, second] = received;
    expect(first!.channel).toBe(pushChannel(prefix));
    expect(JSON.parse(first!.message).pushes).toEqual([
      ["team:a", "conversation.updated", { conversation: { id: "c-1" } }],
      [["team:a", "user:u"], "message.created", { message: { id: "m-1" } }],
      ["team:b", "message.created", { message: { id: "m-2" } }],
    ]);
    expect(join!.channel).toBe(`${socketKey(prefix)}-request#/#`);
    expect(JSON.parse(second!.message).pushes).toEqual([["team:c", "message.created", { message: { id: "m-3" } }]]);
    expect(received).toHaveLength(3);
  });
});
