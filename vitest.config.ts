import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// vitest keeps one core free by default; on a 2-core machine that runs every file in one worker.
// Half the tests wait on child processes and terminals, so one worker per core is the better use.
const workers = Math.max(2, availableParallelism());

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup/yield-between-tests.ts"],
    // Generous: a shared 2-core machine can be several times slower than an idle one (and
    // `npm run fuzz` raises the property runs to 100k). A timeout here is a limit, not a speed target.
    testTimeout: 120_000,
    pool: "forks",
    poolOptions: { forks: { minForks: 1, maxForks: workers } },
  },
});
