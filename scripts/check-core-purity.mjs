#!/usr/bin/env node
// Keeps the runtime-neutral packages free of Node-only APIs: no `node:*` or Node built-in imports,
// no `process`, no `Buffer`. Runs in `pnpm check` and in CI.
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"

const roots = ["packages/core/src", "packages/fetch/src", "packages/service/src", "packages/address/src"]
const builtins = ["fs", "path", "os", "http", "https", "net", "crypto", "stream", "zlib", "url", "util", "buffer", "child_process", "worker_threads", "events", "tls", "dns"]
const rules = [
  { re: /from\s+["']node:[^"']+["']|import\(\s*["']node:/, what: "imports a node:* module" },
  { re: new RegExp(String.raw`from\s+["'](${builtins.join("|")})(/[^"']*)?["']`), what: "imports a Node built-in" },
  { re: /(^|[^.\w$])process\s*\./, what: "uses process" },
  { re: /(^|[^.\w$])Buffer\s*[.(]/, what: "uses Buffer" },
  { re: /from\s+["']@aws-sdk\//, what: "imports an AWS SDK package" }
]
const files = (dir) => {
  let out = []
  let entries = []
  try { entries = readdirSync(dir) } catch { return out }
  for (const e of entries) {
    const p = join(dir, e)
    if (statSync(p).isDirectory()) out = out.concat(files(p))
    else if (/\.(ts|mts|js|mjs)$/.test(e)) out.push(p)
  }
  return out
}
const problems = []
for (const root of roots) {
  for (const file of files(root)) {
    const lines = readFileSync(file, "utf8").split("\n")
    lines.forEach((line, i) => {
      const code = line.replace(/\/\/.*$/, "")
      if (/^\s*\*/.test(code)) return // JSDoc prose
      for (const r of rules) if (r.re.test(code)) problems.push(`${relative(process.cwd(), file)}:${i + 1}: ${r.what}: ${line.trim()}`)
    })
  }
}
if (problems.length > 0) {
  console.error(`Runtime-neutral packages must not use Node-only APIs:\n${problems.join("\n")}`)
  process.exit(1)
}
console.log(`purity: ${roots.join(", ")} clean`)
