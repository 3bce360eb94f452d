import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createAdapter } from "@socket.io/redis-adapter";
import express, { type RequestHandler } from "express";
import { Redis } from "ioredis";
import { Server } from "socket.io";
import type { Config } from "./config.js";
import type { Ctx } from "./context.js";
import { openDatabase } from "./db/client.js";
import { createKeyring, loadOrCreateKey } from "./domain/crypto.js";
import { createEventBus } from "./infra/event-bus.js";
import { systemClock, type Clock } from "./infra/clock.js";
import { createBullmqQueue } from "./infra/queue-bullmq.js";
import { createLocalQueue } from "./infra/queue-local.js";
import { memoryRateLimiter, redisRateLimiter } from "./infra/rate-limiter.js";
import { emitterRealtime, serverRealtime, silentRealtime, socketKey, type PushLink, type Realtime } from "./infra/realtime.js";
import { redisOptions } from "./infra/redis-connection.js";
import { createLogger, type Logger } from "./logger.js";
import { startWorkers } from "./jobs.js";
import { registerSubscribers } from "./pipeline/subscribers.js";
import { startSweeper } from "./pipeline/sweeper.js";
import { webhookRoutes } from "./connectors/webhooks.js";
import { crossSiteGuard, sessionMiddleware } from "./auth/session.js";
import { errorHandler, mountRoutes, routeTable } from "./http/route.js";
import { openApiDocument } from "./http/openapi.js";
import { authRoutes } from "./http/routes/auth.routes.js";
import { userRoutes } from "./http/routes/users.routes.js";
import { conversationRoutes } from "./http/routes/conversations.routes.js";
import { findingRoutes } from "./http/routes/finding.routes.js";
import { channelRoutes } from "./http/routes/channels.routes.js";
import { reportRoutes } from "./http/routes/reports.routes.js";
import { teamRoutes } from "./http/routes/teams.routes.js";
import { slaRoutes } from "./http/routes/sla.routes.js";
import { availabilityRoutes } from "./http/routes/availability.routes.js";
import { botRoutes } from "./http/routes/bots.routes.js";
import { knowledgeRoutes } from "./http/routes/knowledge.routes.js";
import { notificationRoutes } from "./http/routes/notifications.routes.js";
import { attachSocketAuth } from "./http/socket.js";
import { attachPresence } from "./http/availability-socket.js";
import { startPresenceSweeper } from "./domain/availability.js";
import { requestLog } from "./http/request-log.js";
import { demoRoutes } from "./demo.js";
import { seed, type SeedResult } from "./seed.js";
import { sendDemoEvents } from "./demo-conversations.js";
import { backfillXAppKeys } from "./connectors/x/x-app-keys.js";
import { apiJsonOptions, refuseNulInUrl } from "./security/request-guards.js";
import { watchDependencies, type Dependencies } from "./infra/dependencies.js";
import { addQueueDepthSource } from "./infra/metrics.js";
import { healthRoutes } from "./http/health.js";
import { httpMetrics } from "./http/http-metrics.js";
import { metricsRoute, startMetricsServer } from "./http/metrics-endpoint.js";
import { createStorage } from "./storage/storage.js";
import { createLinkSigner } from "./media/signed-links.js";
import { attachmentRoutes } from "./http/routes/attachments.routes.js";
import { cannedRoutes } from "./http/routes/canned.routes.js";
import { contactRoutes } from "./http/routes/contacts.routes.js";
import { threadContextRoutes } from "./http/routes/thread-context.routes.js";
import { contactAvatarRoutes } from "./http/routes/contact-avatar.routes.js";

/** all: one process does everything (the embedded default); server: HTTP only; worker: queues only. */
export type ProcessRole = "all" | "server" | "worker";

export type Parley = {
  ctx: Ctx;
  url: string | null;
  seeded: SeedResult | null;
  close(): Promise<void>;
};

const here = path.dirname(fileURLToPath(import.meta.url));
// The console's build sits beside server/ when run from source, two levels up when run from dist/server/.
const clientDist = [path.resolve(here, "../client/dist"), path.resolve(here, "../../client/dist")].find((dir) => existsSync(dir)) ?? path.resolve(here, "../client/dist");

export async function startParley(
  config: Config,
  opts: { role?: ProcessRole; log?: Logger; checkResponses?: boolean; clock?: Clock } = {},
): Promise<Parley> {
  const role: ProcessRole = config.mode === "embedded" ? "all" : (opts.role ?? "all");
  const log = opts.log ?? createLogger(config.LOG_LEVEL, role === "all" ? {} : { process: role });
  const cleanups: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        log.warn("error while stopping", { error: err });
      }
    }
  };

  try {
    const database = await openDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, dataDir: config.DATA_DIR, poolSize: config.DATABASE_POOL_SIZE, log });
    cleanups.push(() => database.close());

    const keyHex =
      config.PARLEY_SECRET_KEY ?? (config.DATA_DIR === "memory://" ? randomBytes(32).toString("hex") : loadOrCreateKey(config.DATA_DIR));
    const redis = config.REDIS_URL ? redisOptions(config.REDIS_URL) : null;
    const queue = redis ? createBullmqQueue(redis, config.REDIS_PREFIX, log, config.JOB_LOCK_MS) : createLocalQueue(log);
    const limiter = redis ? redisRateLimiter(redis, config.REDIS_PREFIX, log) : memoryRateLimiter();
    cleanups.push(() => limiter.close());

    let io: Server | null = null;
    let realtime: Realtime = silentRealtime;
    const ctx: Ctx = {
      config,
      db: database.db,
      queue,
      bus: createEventBus(log),
      get realtime() {
        return realtime;
      },
      keyring: createKeyring(keyHex),
      limiter,
      log,
      clock: opts.clock ?? systemClock,
      storage: createStorage(config),
      links: createLinkSigner(keyHex),
    };
    registerSubscribers(ctx);
    const deps = watchDependencies(ctx, { redis, pauseWorkers: role !== "server" });
    cleanups.push(() => deps.stop());
    const unregisterDepths = addQueueDepthSource(() => queue.counts());
    cleanups.push(unregisterDepths);
    const metricsServer = await startMetricsServer(config, log);
    if (metricsServer) cleanups.push(() => metricsServer.close());

    let url: string | null = null;
    let seeded: SeedResult | null = null;
    if (role !== "worker") {
      const app = buildHttpApp(ctx, () => io, () => seeded !== null, opts.checkResponses ?? false, deps);
      const http = createServer(app);
      keepIdleConnections(http);
      io = new Server(http, { path: "/socket.io", transports: ["websocket"], serveClient: false });
      let pushLink: PushLink | undefined;
      if (redis) {
        // Both reconnect by themselves; their errors are handled (unhandled, they would end the process).
        const pub = new Redis({ ...redis, maxRetriesPerRequest: null });
        const sub = pub.duplicate();
        let warned = 0;
        const onError = (err: Error) => {
          if (Date.now() - warned < 10_000) return;
          warned = Date.now();
          log.warn("socket.io redis error", { error: err });
        };
        pub.on("error", onError);
        sub.on("error", onError);
        // The adapter never awaits publish: a publish queued while Redis is down and flushed when the
        // process stops would end as an unhandled rejection. Live events are best-effort (consoles
        // refetch what they missed), so a failed one is dropped; requests (fetchSockets) time out.
        const publish = pub.publish.bind(pub) as (channel: string, message: string | Buffer) => Promise<number>;
        (pub as unknown as { publish: typeof publish }).publish = (channel, message) => publish(channel, message).catch(() => 0);
        // Its close() unsubscribes without awaiting either: when the process stops right after (or
        // Redis is down), those commands end with "Connection is closed", unhandled. Nothing waits
        // for them, so a failed one is dropped.
        for (const name of ["unsubscribe", "punsubscribe"] as const) {
          const original = sub[name].bind(sub) as (...args: unknown[]) => Promise<unknown>;
          (sub as unknown as Record<typeof name, typeof original>)[name] = (...args) => original(...args).catch(() => 0);
        }
        io.adapter(createAdapter(pub, sub, { key: socketKey(config.REDIS_PREFIX) }));
        pushLink = { pub, sub, prefix: config.REDIS_PREFIX, log };
        cleanups.push(() => {
          pub.disconnect();
          sub.disconnect();
        });
      }
      attachSocketAuth(ctx, io);
      attachPresence(ctx, io);
      realtime = serverRealtime(io, pushLink);
      cleanups.push(() => realtime.close());
      cleanups.push(startPresenceSweeper(ctx));
      await listen(http, config.PORT, config.HOST);
      cleanups.push(() => closeHttp(http, io!));
      const port = (http.address() as AddressInfo).port;
      url = `http://localhost:${port}`;
      if (config.PORT === 0) ctx.config = { ...config, publicUrl: config.PUBLIC_URL ?? url } as Config;
      seeded = await seed(ctx);
      await backfillXAppKeys(ctx);
      if (seeded.demoChannel) {
        // A few conversations through the real webhook path, once the workers below are running.
        const demo = { baseUrl: url, channelId: seeded.demoChannel.id, secret: seeded.demoChannel.secret, count: 6, runId: "seed" };
        setTimeout(() => void sendDemoEvents(demo).catch((err) => log.warn("demo conversations failed", { error: err })), 200).unref();
      }
    } else {
      realtime = emitterRealtime(redis!, config.REDIS_PREFIX);
      cleanups.push(() => realtime.close());
    }

    // Queue consumers stop before the database closes: cleanups run in reverse.
    cleanups.push(() => queue.close());
    if (role !== "server") {
      startWorkers(ctx, { onDependencyError: () => deps.notice() });
      const stopSweeper = startSweeper(ctx);
      cleanups.push(stopSweeper);
    }
    return { ctx, url, seeded, close };
  } catch (err) {
    await close();
    throw err;
  }
}

function buildHttpApp(ctx: Ctx, io: () => Server | null, ready: () => boolean, checkResponses: boolean, deps: Dependencies) {
  const app = express();
  app.disable("x-powered-by");
  if (ctx.config.TRUST_PROXY) app.set("trust proxy", /^\d+$/.test(ctx.config.TRUST_PROXY) ? Number(ctx.config.TRUST_PROXY) : ctx.config.TRUST_PROXY);
  app.use(everyRequest(ctx));

  // On the app itself, not in a nested router: every webhook passes here, and a nested router costs
  // a dispatch of its own on each request.
  webhookRoutes(ctx, app);
  if (ctx.config.PARLEY_DEMO) demoRoutes(ctx, app);

  app.get("/metrics", metricsRoute(ctx.config));

  const table = routeTable();
  healthRoutes(ctx, table, { ready, deps });
  authRoutes(ctx, table, io);
  userRoutes(ctx, table);
  findingRoutes(ctx, table); // before conversationRoutes: /conversations/counts is not an :id
  conversationRoutes(ctx, table);
  channelRoutes(ctx, table);
  reportRoutes(ctx, table);
  teamRoutes(ctx, table);
  slaRoutes(ctx, table);
  availabilityRoutes(ctx, table);
  botRoutes(ctx, table);
  knowledgeRoutes(ctx, table);
  notificationRoutes(ctx, table);
  attachmentRoutes(ctx, table);
  cannedRoutes(ctx, table);
  contactRoutes(ctx, table);
  threadContextRoutes(ctx, table);
  contactAvatarRoutes(ctx, table);

  const api = express.Router();
  api.use(express.json(apiJsonOptions));
  api.use(sessionMiddleware(ctx));
  api.use(crossSiteGuard(ctx));
  api.get("/openapi.json", (_req, res) => {
    res.json(openApiDocument(table, webhookDoc, ctx.config.publicUrl));
  });
  mountRoutes(ctx, api, table, checkResponses);
  api.use((req, res) => res.status(404).json({ error: `no such endpoint: ${req.method} /api${req.path}`, code: "not_found" }));
  api.use(errorHandler(ctx));
  app.use("/api", api);

  if (existsSync(clientDist)) {
    app.use(
      express.static(clientDist, {
        index: false,
        setHeaders: (res) =>
          res.setHeader("content-security-policy", "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'"),
      }),
    );
    app.get(/^\/(?!api\/|webhooks\/|socket\.io\/).*/, (_req, res) => {
      res.setHeader("content-security-policy", "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'");
      res.sendFile(path.join(clientDist, "index.html"));
    });
  } else {
    app.get("/", (_req, res) => res.type("text").send("Parley API is running. Build the console with `npm run build`."));
  }
  app.use(errorHandler(ctx));
  return app;
}

/**
 * What every request gets before any route: an id and the request log, the HTTP metrics, the NUL
 * check on the URL, the security headers. One middleware rather than four: each layer costs a
 * router dispatch on every webhook.
 */
function everyRequest(ctx: Ctx): RequestHandler {
  const tagAndLog = requestLog(ctx.log);
  const measure = httpMetrics();
  return (req, res, next) => {
    tagAndLog(req, res);
    measure(req, res);
    res.setHeader("x-content-type-options", "nosniff");
    res.setHeader("referrer-policy", "same-origin");
    res.setHeader("x-frame-options", "DENY");
    refuseNulInUrl(req, res, next);
  };
}

const webhookDoc = {
  "/webhooks/api/{channelId}": {
    post: {
      summary: "Deliver an event from a source system to an API channel",
      tags: ["webhooks"],
      security: [],
      parameters: [
        { name: "channelId", in: "path", required: true, schema: { type: "string", format: "uuid" } },
        {
          name: "X-Parley-Signature",
          in: "header",
          required: true,
          schema: { type: "string" },
          description: "sha256=<hex HMAC-SHA256 of the raw body, keyed with the channel secret>",
        },
      ],
      responses: {
        "200": { description: "Accepted, or a duplicate of an earlier delivery" },
        "400": { description: "Malformed body" },
        "401": { description: "Missing or wrong signature" },
        "404": { description: "Unknown channel" },
      },
    },
  },
};

/** How long an idle keep-alive connection stays open (announced in each answer's Keep-Alive header). */
export const KEEP_ALIVE_MS = 65_000;

/**
 * Node closes an idle connection after 5 s by default. A request the client sends on it just then
 * (crossing the close, or waiting unread while a busy event loop runs the close timer first) is
 * answered by the kernel with a reset: ECONNRESET at the sender, 14 and 48 of 30,000 webhooks at
 * 500/s on a busy machine, none with 65 s. Senders and proxies commonly reuse a connection idle for
 * up to a minute, so the race now needs a minute of idleness, not 5 s.
 * headersTimeout stays above it, as commonly advised (older Node counted idle time against it).
 */
function keepIdleConnections(http: HttpServer) {
  http.keepAliveTimeout = KEEP_ALIVE_MS;
  http.headersTimeout = KEEP_ALIVE_MS + 1_000;
}

function listen(http: HttpServer, port: number, host: string) {
  return new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, host, () => {
      http.off("error", reject);
      resolve();
    });
  });
}

/**
 * Stops the HTTP server (Socket.IO's close closes it too). Requests in flight may finish: each
 * connection is closed as soon as it is idle, and whatever is still open after CLOSE_GRACE_MS is cut.
 * Without this, a keep-alive connection that finished its request after the close began stayed open
 * until KEEP_ALIVE_MS and held the close that long.
 */
const CLOSE_GRACE_MS = 2000;
async function closeHttp(http: HttpServer, io: Server) {
  io.disconnectSockets(true);
  const idle = setInterval(() => http.closeIdleConnections(), 50);
  const cut = setTimeout(() => http.closeAllConnections(), CLOSE_GRACE_MS);
  try {
    await new Promise<void>((resolve) => io.close(() => resolve()));
  } finally {
    clearInterval(idle);
    clearTimeout(cut);
  }
  http.closeAllConnections();
}
