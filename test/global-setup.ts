import { ensurePgliteTemplate } from "./helpers/pglite-template.js";

/** Embedded runs: one migrated PGlite directory, copied by every test file instead of its own initdb. */
export default async function setup() {
  if (process.env.DATABASE_URL && process.env.REDIS_URL) return;
  await ensurePgliteTemplate();
}
