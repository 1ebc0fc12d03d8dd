#!/usr/bin/env node
// Runs the TypeScript entry point through tsx (a devDependency of the workspace root).
import { spawnSync } from "node:child_process"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const here = dirname(fileURLToPath(import.meta.url))
const result = spawnSync(process.execPath, ["--import", "tsx", join(here, "..", "src", "bin.ts"), ...process.argv.slice(2)], {
  stdio: "inherit"
})
process.exit(result.status ?? 1)
