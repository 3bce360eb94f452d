import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Browser tests: a real Parley (server + built console) driven by headless Chromium.
 * Run with `npm run test:e2e`, which builds client/dist first.
 */
export default defineConfig({
  // The repository root, so include patterns and imports resolve as in the main suite.
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    include: ["test/e2e/**/*.e2e.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    pool: "forks",
    // One file at a time: a second Chromium and Parley beside the first saved about 80 s of 310 but
    // made every step take 1.5–2 times as long, too close to the tests' live-update waits.
    maxWorkers: 1,
    // The files share the worker's modules, as in the main suite (vitest.config.ts).
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
