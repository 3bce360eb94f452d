// Generates a migration from server/db/schema.ts, then removes drizzle-kit's "public". qualifiers
// so the same SQL applies inside any schema (DATABASE_SCHEMA, and the per-run schemas of the tests).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";

const dir = "server/db/migrations";
execFileSync("npx", ["drizzle-kit", "generate", "--config", "server/db/drizzle.config.ts", ...process.argv.slice(2)], {
  stdio: "inherit",
});
for (const file of readdirSync(dir).filter((f) => f.endsWith(".sql"))) {
  const sql = readFileSync(`${dir}/${file}`, "utf8");
  const fixed = sql.replaceAll('"public".', "");
  if (fixed !== sql) writeFileSync(`${dir}/${file}`, fixed);
}
