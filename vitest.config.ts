import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup/yield-between-tests.ts"],
    // Generous: the property and oracle tests run 10k cases each, and a shared 2-core machine can
    // be several times slower than an idle one. A timeout here is a limit, not a speed target.
    testTimeout: 120_000,
    pool: "forks",
  },
});
