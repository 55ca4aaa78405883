import { defineConfig } from "vitest/config";

// Unit tests run in Node (the shared and worker code is plain Web-standard TypeScript);
// integration tests start the bundled Workers inside workerd through Miniflare's API
// (test/harness/) together with the GPU simulator on loopback.
export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**", ".wrangler/**"],
    globalSetup: ["test/harness/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
  },
});
