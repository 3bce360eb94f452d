import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "server/**/*.test.ts", "bots/**/*.test.ts", "shared/**/*.test.ts", "client/src/**/*.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    globalSetup: ["test/global-setup.ts"],
    pool: "forks",
    maxWorkers: 2,
    // Each worker imports the server once for all its files, not once per file: module import was
    // about 170 s of each suite's 2 × 230 s. Every test file starts its own Parley on its own schema,
    // Redis prefix or PGlite folder, and no test changes process.env or mocks a module, so files
    // share nothing that one of them could leave behind.
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
