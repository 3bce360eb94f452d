#!/usr/bin/env node
// Builds the web console (client/ -> client/dist) when it is missing or out of date.
// Usage: node scripts/ensure-client.mjs [--force]
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const clientDir = join(root, "client");
const distIndex = join(clientDir, "dist", "index.html");
// The client bundles the shared schemas too, so a change there also calls for a rebuild.
const sourceDirs = [clientDir, join(root, "shared")];
const skip = new Set([join(clientDir, "dist"), join(clientDir, "node_modules")]);

/** The newest modification time of any file under dir (0 when there is none). */
function newestMtime(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (skip.has(path)) continue;
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.isFile()) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function mtimeOf(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

function reasonToBuild() {
  if (process.argv.includes("--force")) return "forced";
  const built = mtimeOf(distIndex);
  if (built === null) return "client/dist is missing";
  if (Math.max(...sourceDirs.map(newestMtime)) > built) return "sources changed";
  return null;
}

const reason = reasonToBuild();
if (reason) {
  console.log(`Building the web console (${reason})…`);
  const result = spawnSync("npx", ["vite", "build", "--config", relative(root, join(clientDir, "vite.config.ts"))], {
    cwd: root,
    encoding: "utf8",
    shell: process.platform === "win32",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.error || result.status !== 0) {
    if (result.stdout) process.stdout.write(result.stdout);
    if (result.stderr) process.stderr.write(result.stderr);
    console.error(`Building the web console failed${result.error ? `: ${result.error.message}` : ` (exit code ${result.status})`}.`);
    process.exit(result.status || 1);
  }
}
