// npm run simulate — sends signed demo events to a running Parley so you can watch them arrive live.
// Embedded default: reads the demo channel from ./data/demo-channel.json (written at first start).
// Elsewhere: PARLEY_URL, PARLEY_CHANNEL_ID and PARLEY_CHANNEL_SECRET name the target.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { sendDemoEvents } from "../server/demo-conversations.js";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "8" },
    delay: { type: "string", default: "1500" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log("Usage: npm run simulate -- [--count N] [--delay MS]\nEnv: DATA_DIR, or PARLEY_URL + PARLEY_CHANNEL_ID + PARLEY_CHANNEL_SECRET");
  process.exit(0);
}

function target() {
  const { PARLEY_URL, PARLEY_CHANNEL_ID, PARLEY_CHANNEL_SECRET } = process.env;
  if (PARLEY_CHANNEL_ID && PARLEY_CHANNEL_SECRET) {
    return { baseUrl: (PARLEY_URL ?? "http://localhost:3000").replace(/\/$/, ""), channelId: PARLEY_CHANNEL_ID, secret: PARLEY_CHANNEL_SECRET };
  }
  const file = path.resolve(process.env.DATA_DIR ?? "./data", "demo-channel.json");
  if (!existsSync(file)) {
    console.error(
      `No demo channel found at ${file}.\nStart Parley first with \`npm start\` (PARLEY_DEMO on, the default), or set PARLEY_URL, PARLEY_CHANNEL_ID and PARLEY_CHANNEL_SECRET.`,
    );
    process.exit(2);
  }
  const demo = JSON.parse(readFileSync(file, "utf8")) as { channelId: string; secret: string; url: string };
  return { baseUrl: (process.env.PARLEY_URL ?? demo.url).replace(/\/$/, ""), channelId: demo.channelId, secret: demo.secret };
}

const t = target();
console.log(`Sending demo events to ${t.baseUrl} (channel ${t.channelId}) — watch the inbox.`);
sendDemoEvents({ ...t, count: Number(values.count), delayMs: Number(values.delay) }, (line) => console.log("  " + line)).then(
  () => console.log("Done."),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    if ((err as { cause?: { code?: string } })?.cause?.code === "ECONNREFUSED") console.error("Is Parley running? Start it with `npm start`.");
    process.exit(1);
  },
);
