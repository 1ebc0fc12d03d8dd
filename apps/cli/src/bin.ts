#!/usr/bin/env node
/**
 * The `geojobs` executable: the only module that touches `process.argv`. Builds the Io from
 * the process, runs the command line, exits with its code. `geojobs --version` alone is answered
 * here, before Effect and the command line parser are loaded: scripts call it to probe for the
 * tool, and it should cost no more than starting node.
 *
 * @since 0.1.0
 */
import { readFileSync } from "node:fs"
import * as Module from "node:module"
import type { IoService } from "./Io.js"

// Node 22.1+ keeps the compiled code of the modules below on disk between runs (most of a
// short command's start-up is compiling them); older Node has no such cache and skips this.
;(Module as { enableCompileCache?: () => unknown }).enableCompileCache?.()

const argv = process.argv.slice(2)
if (argv.length === 1 && argv[0] === "--version") {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
  process.stdout.write(`${manifest.version}\n`)
} else {
  await run()
}

async function run() {
  // The AWS SDK's Node 22 notice is noise for a CLI user (Node 20 is supported here).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true"

  // A closed pipe (`geojobs list-jobs | head`) is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(0)
      throw e
    })
  }

  const io: IoService = {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTty: process.stdout.isTTY === true,
    stderrIsTty: process.stderr.isTTY === true,
    columns: process.stderr.columns
  }

  // An AWS-style one-call command runs without the Effect runtime when `Direct` takes its line.
  const Direct = await import("./Direct.js")
  const code = await Direct.run(argv, io)
  if (code !== undefined) {
    process.exitCode = code
    return
  }

  const [NodeRuntime, Exit, Cli] = await Promise.all([
    import("@effect/platform-node/NodeRuntime"),
    import("effect/Exit"),
    import("./Cli.js")
  ])

  NodeRuntime.runMain(Cli.main(argv, io), {
    disableErrorReporting: true,
    disablePrettyLogger: true,
    teardown: (exit, onExit) => {
      const code = Exit.isSuccess(exit) ? (exit.value as number) : 130
      process.exitCode = code
      onExit(code)
    }
  })
}
