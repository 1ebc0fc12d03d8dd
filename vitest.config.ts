import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "apps/*/test/**/*.test.ts", "examples/test/**/*.test.ts", "examples/recipes/**/*.test.ts"],
    env: {
      AWS_EC2_METADATA_DISABLED: "true",
      TURBO_TELEMETRY_DISABLED: "1"
    },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Most test files wait on child processes and sockets rather than compute: two at once keep
    // both cores busy where vitest's default (cores - 1) would run them one by one on this
    // project's two-core machines.
    maxWorkers: 2,
    minWorkers: 1,
    // The JSON report is what .ci/run counts; the default reporter is what people read.
    reporters: ["default", ["json", { outputFile: "test-results.json" }]]
  }
})
