#!/usr/bin/env node
// Prints "N passed, N failed" from vitest's JSON report (written by `pnpm test`).
// Exits non-zero when a test failed, when no test ran, or when the report is missing.
import { readFileSync } from "node:fs"

const file = process.argv[2] ?? "test-results.json"
let report
try {
  report = JSON.parse(readFileSync(file, "utf8"))
} catch (e) {
  console.log(`no test report at ${file}: ${e.message}`)
  console.log("0 passed, 1 failed")
  process.exit(1)
}
const passed = report.numPassedTests ?? 0
// Files that failed to load (syntax errors, missing modules) count as failures too.
const brokenFiles = (report.testResults ?? []).filter((r) => r.status === "failed" && (r.assertionResults ?? []).length === 0).length
const failed = (report.numFailedTests ?? 0) + brokenFiles
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
