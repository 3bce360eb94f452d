import { ConfigError, loadConfig } from "./config.js";
import { startParley, type ProcessRole } from "./app.js";
import { createLogger } from "./logger.js";
import { lowerPriority } from "./infra/priority.js";

async function main() {
  const arg = process.argv[2];
  if (arg && !["server", "worker", "all"].includes(arg)) {
    console.error(`unknown process role "${arg}": use server, worker or nothing`);
    process.exit(2);
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  if (arg && arg !== "all" && config.mode === "embedded") {
    console.error(`"${arg}" needs DATABASE_URL and REDIS_URL (scaled mode); without them run \`npm start\`.`);
    process.exit(2);
  }
  const role = (arg ?? "all") as ProcessRole;
  const log = createLogger(config.LOG_LEVEL, role === "all" ? {} : { process: role });
  if (role === "worker" && config.WORKER_NICE > 0) {
    // Webhook answers first: a platform times out a slow one and sends it again, while the worker
    // takes what the server stored whenever it gets the cores. See WORKER_NICE in docs/operations.md.
    try {
      log.info("worker priority lowered", { nice: config.WORKER_NICE, threads: lowerPriority(config.WORKER_NICE) });
    } catch (err) {
      log.warn("could not lower the worker's priority", { error: err });
    }
  }
  const parley = await startParley(config, { role, log });

  if (parley.url) {
    const lines = [
      "",
      `  Parley is running at ${config.publicUrl}  (${config.mode} mode${role !== "all" ? `, ${role} process` : ""})`,
    ];
    if (parley.seeded?.created) {
      lines.push(`  Log in as ${parley.seeded.adminEmail}`);
      if (parley.seeded.generatedPassword) {
        lines.push(`  with the generated password: ${parley.seeded.generatedPassword}`, "  (shown this once; set PARLEY_ADMIN_PASSWORD to choose it)");
      } else lines.push("  with PARLEY_ADMIN_PASSWORD.");
    } else {
      lines.push(`  Log in as ${config.PARLEY_ADMIN_EMAIL} (or another user) with your password.`);
    }
    if (config.PARLEY_DEMO && config.mode === "embedded") {
      lines.push("  Watch every platform's messages arrive: `npm run simulate` in another terminal.");
    }
    console.log(lines.join("\n") + "\n");
  } else {
    log.info("worker started", { mode: config.mode });
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("stopping", { signal });
    const force = setTimeout(() => process.exit(1), 15000);
    force.unref();
    await parley.close();
    process.exit(0);
  };
  // A stray rejection (a client library during an outage) is logged, not fatal; an uncaught
  // exception still ends the process, and its supervisor (docker compose) starts a fresh one.
  process.on("unhandledRejection", (err) => log.error("unhandled promise rejection", { error: err }));
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error("Parley failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
