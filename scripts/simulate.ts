// npm run simulate — plays customers on every platform against a running Parley, with no accounts
// anywhere: local fakes of Facebook, Instagram, WhatsApp, X, Telegram, Google reviews and Trustpilot
// send signed comments, DMs and reviews to the demo channels, then stay up and show every reply or
// moderation call that Parley makes to them. The demo API channel gets its events too.
// Embedded default: reads ./data/demo-channel.json (written at first start with PARLEY_DEMO on).
// Elsewhere: PARLEY_URL, PARLEY_CHANNEL_ID and PARLEY_CHANNEL_SECRET name an API channel (API events only).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { DemoSocial } from "../server/demo-social.js";
import { sendDemoEvents } from "../server/demo-conversations.js";
import { PortTakenError, SOCIAL_PLATFORMS, simulatePlatforms, type SocialPlatform } from "./simulate-platforms.js";

const usage = `Usage: npm run simulate -- [--count N] [--delay MS] [--only LIST] [--duration SECONDS]
  --count N          API channel events to send (default 8)
  --delay MS         pause between events (default 1500)
  --only LIST        comma-separated: ${SOCIAL_PLATFORMS.join(",")},api (default all)
  --duration SECONDS stop the fake platforms after this long (default: run until Ctrl-C)
Env: DATA_DIR (default ./data), PARLEY_URL; or PARLEY_URL + PARLEY_CHANNEL_ID + PARLEY_CHANNEL_SECRET (API events only)`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      count: { type: "string", default: "8" },
      delay: { type: "string", default: "1500" },
      only: { type: "string" },
      duration: { type: "string" },
      help: { type: "boolean", default: false },
    },
  }));
} catch (err) {
  console.error(`${(err as Error).message}\n\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const fail = (message: string, code = 2): never => {
  console.error(message);
  process.exit(code);
};
const number = (name: string, raw: string | undefined) => {
  const n = Number(raw);
  if (raw === undefined || !Number.isFinite(n) || n < 0) fail(`--${name} must be a number ≥ 0\n\n${usage}`);
  return n;
};
const count = number("count", values.count);
const delayMs = number("delay", values.delay);
const duration = values.duration === undefined ? null : number("duration", values.duration);

const aliases: Record<string, SocialPlatform | "api"> = { google_reviews: "google", meta: "facebook", twitter: "x" };
const only = new Set<SocialPlatform | "api">(
  values.only === undefined
    ? [...SOCIAL_PLATFORMS, "api"]
    : values.only.split(",").map((raw) => {
        const p = raw.trim().toLowerCase();
        const known = aliases[p] ?? p;
        if (known !== "api" && !SOCIAL_PLATFORMS.includes(known as SocialPlatform)) fail(`--only: unknown platform "${raw}"\n\n${usage}`);
        return known as SocialPlatform | "api";
      }),
);
const social = SOCIAL_PLATFORMS.filter((p) => only.has(p));

const dataDir = process.env.DATA_DIR ?? "./data";
const file = path.resolve(dataDir, "demo-channel.json");
const fresh = `To get them, start Parley on an empty database with PARLEY_DEMO on (the default): stop it, delete ${dataDir} (this deletes its data), and run \`npm start\` again.`;

type Demo = { url: string; api: { channelId: string; secret: string } | null; social: DemoSocial | null };
function loadDemo(): Demo {
  const { PARLEY_URL, PARLEY_CHANNEL_ID, PARLEY_CHANNEL_SECRET } = process.env;
  const envApi = PARLEY_CHANNEL_ID && PARLEY_CHANNEL_SECRET ? { channelId: PARLEY_CHANNEL_ID, secret: PARLEY_CHANNEL_SECRET } : null;
  if (!existsSync(file)) {
    if (envApi) return { url: PARLEY_URL ?? "http://localhost:3000", api: envApi, social: null };
    return fail(
      `No demo channels found at ${file}.\nStart Parley first with \`npm start\` (PARLEY_DEMO on, the default) and keep it running; or set PARLEY_URL, PARLEY_CHANNEL_ID and PARLEY_CHANNEL_SECRET for an API channel.`,
    );
  }
  const raw = JSON.parse(readFileSync(file, "utf8")) as { channelId: string; secret: string; url: string; social?: unknown };
  const parsed = raw.social === undefined ? null : DemoSocial.safeParse(raw.social);
  if (parsed && !parsed.success) fail(`${file} has an unreadable "social" part. ${fresh}`);
  return { url: PARLEY_URL ?? raw.url, api: envApi ?? { channelId: raw.channelId, secret: raw.secret }, social: parsed?.data ?? null };
}

async function main() {
  const demo = loadDemo();
  const url = demo.url.replace(/\/$/, "");
  try {
    await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) });
  } catch {
    fail(`Parley does not answer at ${url}. Is it running? Start it with \`npm start\` (or set PARLEY_URL).`, 1);
  }

  if (social.length > 0 && !demo.social) {
    const why = existsSync(file) ? `${file} has no social demo channels: it was written by an older Parley` : `There is no ${file}`;
    if (!only.has("api")) fail(`${why}, so ${social.join(", ")} cannot be simulated.\n${fresh}`);
    console.log(`${why}, so only the API channel is simulated.\n${fresh}\n`);
  }

  const apiCount = only.has("api") && demo.api ? count : 0;
  if (!demo.social || social.length === 0) {
    if (!demo.api || apiCount === 0) return;
    console.log(`Sending demo events to ${url} (API channel ${demo.api.channelId}) — watch the inbox.`);
    await sendDemoEvents({ baseUrl: url, ...demo.api, count: apiCount, delayMs }, (line) => console.log("  " + line));
    console.log("Done.");
    return;
  }

  const ports = demo.social.ports;
  const portOf: Record<SocialPlatform, number> = { facebook: ports.meta, instagram: ports.meta, whatsapp: ports.whatsapp, x: ports.x, telegram: ports.telegram, google: ports.google, trustpilot: ports.trustpilot };
  console.log(`Fake platforms on 127.0.0.1: ${social.map((p) => `${p} :${portOf[p]}`).join(", ")}`);
  console.log(`Customers write to Parley at ${url} — watch them arrive in the inbox.\n`);
  let sim: Awaited<ReturnType<typeof simulatePlatforms>>;
  try {
    sim = await simulatePlatforms({
      social: demo.social,
      parleyUrl: url,
      only: social,
      api: demo.api && apiCount ? { ...demo.api, count: apiCount } : undefined,
      delayMs,
      onSent: (line) => console.log("  sent " + line),
      onLanded: (line) => console.log("  " + line),
    });
  } catch (err) {
    if (err instanceof PortTakenError) {
      fail(
        `Cannot start the fake platforms: ${err.message}.\nIs another \`npm run simulate\` running? Stop it, or free port ${err.port}.\n` +
          `(The demo channels were created for ports ${demo.social.ports.meta}-${demo.social.ports.trustpilot}; SIMULATE_PORT_BASE only applies when a fresh database is seeded.)`,
        1,
      );
    }
    throw err;
  }

  console.log(
    `\nThe fake platforms keep running${duration !== null ? ` for ${duration}s` : " (Ctrl-C to stop)"}: reply, hide or delete in the console and see it land here.\n`,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await sim.close();
    console.log("Stopped the fake platforms.");
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  if (duration !== null) setTimeout(() => void stop(), duration * 1000);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  if ((err as { cause?: { code?: string } })?.cause?.code === "ECONNREFUSED") console.error("Is Parley running? Start it with `npm start`.");
  process.exit(1);
});
