import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "../../server/db/client.js";

/**
 * A PGlite data directory that has already been through initdb and every migration, copied for each
 * embedded test's storage. A fresh PGlite spends one to three seconds in initdb and migrations; a
 * copy opens in a fifth of a second. The migrations themselves still run, once per run, on the
 * template, and its name carries a hash of them and of PGlite's version, so a changed migration
 * or an upgrade builds a new one rather than reusing a stale one.
 */
const migrationsDir = fileURLToPath(new URL("../../server/db/migrations", import.meta.url));

export function pgliteTemplatePath(): string {
  const hash = createHash("sha256");
  // The installed PGlite's own manifest (its exports do not offer package.json to resolve).
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  hash.update(readFileSync(path.join(entry.slice(0, entry.lastIndexOf("node_modules")), "node_modules/@electric-sql/pglite/package.json")));
  for (const name of readdirSync(migrationsDir, { recursive: true }).map(String).sort()) {
    const file = path.join(migrationsDir, name);
    if (name.endsWith(".sql") || name.endsWith("_journal.json")) hash.update(name).update(readFileSync(file));
  }
  return path.join(tmpdir(), `parley-pglite-template-${hash.digest("hex").slice(0, 16)}`);
}

/** Builds the template unless it exists; safe when two runs race (the first rename wins). */
export async function ensurePgliteTemplate(): Promise<string> {
  const target = pgliteTemplatePath();
  if (existsSync(target)) return target;
  const work = mkdtempSync(path.join(tmpdir(), "parley-pglite-build-"));
  const database = await openDatabase({ schema: "public", dataDir: work });
  await database.close();
  try {
    renameSync(path.join(work, "pglite"), target);
  } catch (err) {
    if (!existsSync(target)) throw err;
  }
  rmSync(work, { recursive: true, force: true });
  return target;
}

/** Copies the template into dataDir (as openDatabase lays it out) when one has been built. */
export function seedFromPgliteTemplate(dataDir: string): void {
  const template = pgliteTemplatePath();
  if (existsSync(template)) cpSync(template, path.join(dataDir, "pglite"), { recursive: true });
}
