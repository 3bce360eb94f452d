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
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
