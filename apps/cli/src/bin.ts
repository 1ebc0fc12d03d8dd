#!/usr/bin/env node
/**
 * The `geojobs` executable: the only module that touches `process.argv`. Builds the Io from
 * the process, runs the command line, exits with its code.
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Exit from "effect/Exit"
import * as Cli from "./Cli.js"
import type { IoService } from "./Io.js"

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

NodeRuntime.runMain(Cli.main(process.argv.slice(2), io), {
  disableErrorReporting: true,
  disablePrettyLogger: true,
  teardown: (exit, onExit) => {
    const code = Exit.isSuccess(exit) ? (exit.value as number) : 130
    process.exitCode = code
    onExit(code)
  }
})
