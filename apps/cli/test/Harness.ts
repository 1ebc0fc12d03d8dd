/**
 * Test helpers: run the CLI in-process with a captured Io and an isolated environment (a temp
 * HOME and working directory, no AWS variables), and start a local service on a free port.
 */
import { roleArn } from "@geojobs/core/TestFixtures"
import * as LocalService from "@geojobs/local/LocalService"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Scope from "effect/Scope"
import * as Context from "effect/Context"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Cli from "../src/Cli.js"
import * as Io from "../src/Io.js"

/** A fresh temp directory. */
export const tempDir = (prefix = "geojobs-cli-"): string => Fs.mkdtempSync(Path.join(Os.tmpdir(), prefix))

/** What a run produced. */
export interface Result {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `geojobs <argv>` in-process. `env` is all the environment the run sees (plus HOME). */
export const geojobs = async (
  argv: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly env?: Record<string, string>; readonly tty?: boolean }
): Promise<Result> => {
  const io = Io.capture({
    cwd: options.cwd,
    env: { HOME: options.cwd, AWS_EC2_METADATA_DISABLED: "true", ...options.env },
    ...(options.tty !== undefined ? { tty: options.tty } : {})
  })
  const code = await Cli.run(argv, io)
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() }
}

/** Parses stdout as JSON. */
export const json = (r: Result): any => {
  try {
    return JSON.parse(r.stdout)
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`)
  }
}

/** A running local service and how to stop it. */
export interface Running {
  readonly info: LocalService.LocalServiceInfo
  /** The environment that points the CLI at it. */
  readonly env: Record<string, string>
  readonly close: () => Promise<void>
}

/** Starts a local service on 127.0.0.1, a free port, in `dataDir`. */
export const startLocal = async (options: Partial<LocalService.LocalServiceOptions> & { readonly dataDir: string }): Promise<Running> => {
  const scope = await Effect.runPromise(Scope.make())
  const context = await Effect.runPromise(
    Layer.buildWithScope(LocalService.layer({ port: 0, host: "127.0.0.1", ...options }), scope)
  )
  const info = Context.get(context, LocalService.LocalService)
  return {
    info,
    env: { AWS_ENDPOINT_URL: info.url, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" },
    close: () => Effect.runPromise(Scope.close(scope, Exit.void))
  }
}

/** The arguments of the AWS docs' start-job example, for a bucket pair. */
export const startJobArgs = (name: string, input = "arn:aws:s3:::my-input-bucket", output = "arn:aws:s3:::my-output-bucket") => [
  "start-job",
  "--action",
  "ValidateAddress",
  "--execution-role-arn",
  roleArn,
  "--input-options",
  `Location=${input},Format=Parquet`,
  "--name",
  name,
  "--output-options",
  `Location=${output},Format=Parquet`
]
