import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";

const bool = z
  .enum(["0", "1", "true", "false", "yes", "no"])
  .transform((v) => v === "1" || v === "true" || v === "yes");

/**
 * Every setting Parley reads. README.md documents each; an invalid value stops start-up with a
 * message that names the setting.
 */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  PUBLIC_URL: z.url().optional().describe("Address users and platforms reach Parley at; default http://localhost:PORT"),
  TRUST_PROXY: z
    .string()
    .regex(/^(\d+|loopback|linklocal|uniquelocal|[0-9a-f.:/, ]+)$/i, "a hop count, loopback, or addresses/CIDRs")
    .optional()
    .describe("Set behind a reverse proxy so client addresses come from X-Forwarded-For"),
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(500).default(20).describe("PostgreSQL connections per process"),
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case SQL identifier").default("public"),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "must be a redis:// URL").optional(),
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "letters, digits, _ . - only").default("parley"),
  PARLEY_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, "must be 64 hex characters (32 bytes), e.g. from `openssl rand -hex 32`")
    .optional(),
  PARLEY_ADMIN_EMAIL: z.email().default("admin@parley.local"),
  PARLEY_ADMIN_PASSWORD: z.string().min(10, "must be at least 10 characters").optional(),
  PARLEY_DEMO: bool.default(true),
  SIMULATE_PORT_BASE: z.coerce
    .number()
    .int()
    .min(1024)
    .max(65530)
    .default(3990)
    .describe("PARLEY_DEMO: first of the six local ports the demo channels expect `npm run simulate`'s fake platforms on"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(24 * 14),
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().positive().default(10).describe("Failed logins per email from one address per window"),
  LOGIN_IP_MAX_ATTEMPTS: z.coerce.number().int().positive().default(50).describe("Failed logins from one address per window, whatever the email"),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().positive().default(15 * 60),
  ALLOW_PRIVATE_TARGETS: bool
    .default(false)
    .describe("Let callbacks and platform URLs reach loopback, private and link-local addresses (on-premise installs)"),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").max(200).optional().describe("Bearer token for GET /metrics on the main port"),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional().describe("A separate port serving only /metrics, in every process (workers too)"),
  METRICS_HOST: z.string().optional().describe("Interface of METRICS_PORT; default HOST"),
  OUTBOUND_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(6),
  OUTBOUND_RETRY_BASE_MS: z.coerce.number().int().min(1).default(2000),
  OUTBOUND_TIMEOUT_MS: z.coerce.number().int().min(100).default(10000),
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).default(30000),
  JOB_LOCK_MS: z.coerce
    .number()
    .int()
    .min(5000)
    .default(30000)
    .describe("Scaled mode: a job whose worker died is taken over by another worker after one to two times this"),
  SWEEP_AFTER_MS: z.coerce.number().int().min(0).default(60000),
  INGEST_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(8),
  INGEST_LANES: z.coerce
    .number()
    .int()
    .min(1)
    .max(32)
    .default(2)
    .describe("Most ingest transactions a worker process runs at once (scaled mode): a second starts only beside a slow one"),
  WORKER_NICE: z.coerce
    .number()
    .int()
    .min(0)
    .max(19)
    .default(5)
    .describe("Scaled mode: the CPU priority (nice value) a worker process lowers itself to, so that on busy cores a server beside it answers webhooks first; 0 leaves it"),
  PRESENCE_AWAY_AFTER_S: z.coerce
    .number()
    .int()
    .min(10)
    .max(86400)
    .default(300)
    .describe("An online agent with no console open for this long becomes away"),
  ATTACHMENTS_DIR: z
    .string()
    .optional()
    .describe("Where attachment files are stored; default DATA_DIR/attachments. Scaled mode: a directory every process shares"),
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(25 * 1024 * 1024)
    .describe("The largest file Parley stores, fetched or uploaded"),
  MEDIA_LINK_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 24 * 3600)
    .default(3600)
    .describe("How long the signed links given to platforms and API callbacks (to fetch a reply's files) work"),
  META_GRAPH_URL: z.url().default("https://graph.facebook.com/v23.0").describe("Graph API for Messenger, Page feed, Instagram and WhatsApp"),
  X_API_URL: z.url().default("https://api.x.com"),
  TELEGRAM_API_URL: z.url().default("https://api.telegram.org"),
  GOOGLE_BUSINESS_URL: z.url().default("https://mybusiness.googleapis.com"),
  TRUSTPILOT_API_URL: z.url().default("https://api.trustpilot.com"),
  GOOGLE_CERTS_URL: z.url().default("https://www.googleapis.com/oauth2/v3/certs").describe("Keys that sign Pub/Sub push tokens"),
  OPENAI_BASE_URL: z.url().optional().describe("Default OpenAI-compatible endpoint of the bots' LLM (a workspace may set its own)"),
  OPENAI_API_KEY: z.string().min(1).optional().describe("Default API key of that endpoint; never logged or returned"),
  PARLEY_LLM_MODEL: z.string().min(1).optional().describe("Default model name"),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000).describe("How long one model call may take before the bot hands off"),
});

export type Config = z.infer<typeof ConfigSchema> & {
  mode: "embedded" | "scaled";
  publicUrl: string;
  /** ATTACHMENTS_DIR, or DATA_DIR/attachments. */
  attachmentsDir: string;
};

export class ConfigError extends Error {}

/** Parses settings from the environment (or an override object in tests). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  if (Boolean(c.DATABASE_URL) !== Boolean(c.REDIS_URL)) {
    throw new ConfigError(
      "Invalid configuration:\n  DATABASE_URL, REDIS_URL: set both for scaled mode, or neither for the embedded default",
    );
  }
  const mode = c.DATABASE_URL ? "scaled" : "embedded";
  if (mode === "scaled" && !c.PARLEY_SECRET_KEY) {
    throw new ConfigError(
      "Invalid configuration:\n  PARLEY_SECRET_KEY: required with DATABASE_URL, so every process can read channel credentials (e.g. `openssl rand -hex 32`)",
    );
  }
  const publicUrl = (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, "");
  const attachmentsDir = c.ATTACHMENTS_DIR ?? (c.DATA_DIR === "memory://" ? path.join(tmpdir(), "parley-attachments") : path.join(c.DATA_DIR, "attachments"));
  return { ...c, mode, publicUrl, attachmentsDir };
}
