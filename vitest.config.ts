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
    // The JSON report is what .ci/run counts; the default reporter is what people read.
    reporters: ["default", ["json", { outputFile: "test-results.json" }]]
  }
})
