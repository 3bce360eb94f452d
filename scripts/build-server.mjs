#!/usr/bin/env node
// Compiles server/, bots/ and shared/ to dist/ (plain ESM JavaScript) and copies the SQL migrations
// beside the compiled database client, so that production runs `node dist/server/main.js` without tsx.
import { spawnSync } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true }); // no stale modules from renamed sources

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const result = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit", cwd: root });
if (result.status !== 0) process.exit(result.status ?? 1);

cpSync(join(root, "server/db/migrations"), join(dist, "server/db/migrations"), { recursive: true });
console.log("server built to dist/ (run: node dist/server/main.js [server|worker])");
