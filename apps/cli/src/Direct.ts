/**
 * The AWS-style one-call commands (`get-job`, `cancel-job`, `start-job`) run directly: parsed
 * here and sent with the Micro client (`@geojobs/node/NodeMicroLocationJobs`), without loading
 * the Effect runtime, `effect/Schema` or `@effect/cli`, which are most of what a short command
 * would otherwise spend its time compiling.
 *
 * Only a plain, well-formed command line is taken: the command's own flags and the global
 * options, each once (as `--flag value` or `--flag=value`), every value checked as `Cli.main`
 * checks it, against AWS or an endpoint with static credentials (environment keys, or an
 * emulator's test key). Anything else — help, `--debug`, `--no-sign-request`,
 * `--cli-input-*`, a skeleton, an unknown, repeated or malformed flag, a value the AWS CLI
 * refuses, the embedded target, credentials from the SDK's chain — returns `undefined` before
 * anything is printed, and the line runs through `Cli.main`, which owns every usage message.
 * What is printed and the exit code are the same either way: `test/Direct.test.ts` runs lines
 * down both paths and compares them, and the parity table runs through here.
 *
 * @since 0.1.0
 */
import { LocationJobsClientError } from "@geojobs/core/MicroLocationJobsError"
import * as NodeMicroLocationJobs from "@geojobs/node/NodeMicroLocationJobs"
import * as Either from "effect/Either"
import * as Micro from "effect/Micro"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { OperationError } from "./CliError.js"
import * as ExitCode from "./ExitCode.js"
import * as Failure from "./Failure.js"
import type { Globals } from "./Globals.js"
import { requests } from "./internal/jobsRequests.js"
import type { IoService } from "./Io.js"
import * as Output from "./Output.js"
import * as ParameterValidation from "./ParameterValidation.js"
import * as Query from "./Query.js"
import * as Settings from "./Settings.js"
import { flagOf } from "./Shapes.js"
import * as Shorthand from "./Shorthand.js"
import * as Target from "./Target.js"

type Operation = "GetJob" | "CancelJob" | "StartJob"

/** The commands run here, and their operations. */
export const commands: Readonly<Record<string, Operation>> = {
  "get-job": "GetJob",
  "cancel-job": "CancelJob",
  "start-job": "StartJob"
}

type Kind =
  | { readonly _tag: "text" }
  | { readonly _tag: "flag" }
  | { readonly _tag: "integer" }
  | { readonly _tag: "choice"; readonly values: ReadonlyArray<string> }

const text: Kind = { _tag: "text" }
const flag: Kind = { _tag: "flag" }
const integer: Kind = { _tag: "integer" }

/**
 * The global options (`Globals.options`, which `test/Direct.test.ts` compares with this
 * table): flag → member of `Globals` and what its value is.
 */
export const globalFlags: Readonly<Record<string, readonly [keyof Globals, Kind]>> = {
  "--region": ["region", text],
  "--profile": ["profile", text],
  "--endpoint-url": ["endpointUrl", text],
  "--output": ["output", { _tag: "choice", values: Output.formats }],
  "--query": ["query", text],
  "--debug": ["debug", flag],
  "--no-color": ["noColor", flag],
  "--color": ["color", { _tag: "choice", values: ["on", "off", "auto"] }],
  "--no-cli-pager": ["noCliPager", flag],
  "--no-verify-ssl": ["noVerifySsl", flag],
  "--ca-bundle": ["caBundle", text],
  "--no-sign-request": ["noSignRequest", flag],
  "--cli-read-timeout": ["cliReadTimeout", integer],
  "--cli-connect-timeout": ["cliConnectTimeout", integer]
}

/** A command's own flags: one per member of its request in the service model, a text each. */
export const commandFlags = (operation: Operation): ReadonlyMap<string, string> => {
  const input = requests[operation].input
  return new Map(input.type === "structure" ? input.members.map((m) => [flagOf(m.name), m.name] as const) : [])
}

/** Words a boolean option of @effect/cli would take as its value: such lines go the long way. */
const booleanWords = new Set(["true", "false", "yes", "no", "y", "n", "1", "0", "on", "off"])

/** A command line this module takes: the operation, the global options, the request members' raw values. */
export interface Line {
  readonly operation: Operation
  readonly globals: Globals
  readonly members: ReadonlyMap<string, string>
}

/** Parses a command line this module takes, or returns undefined. */
export const parse = (argv: ReadonlyArray<string>): Line | undefined => {
  let operation: Operation | undefined
  let own: ReadonlyMap<string, string> = new Map()
  const globals: Record<string, unknown> = {}
  const members = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (!arg.startsWith("--")) {
      const named = commands[arg]
      if (named === undefined || operation !== undefined) return undefined
      operation = named
      own = commandFlags(named)
      continue
    }
    const eq = arg.indexOf("=")
    const name = eq === -1 ? arg : arg.slice(0, eq)
    const global = globalFlags[name]
    // before the command name only the global options are known (as @effect/cli's root command)
    const member = operation === undefined ? undefined : own.get(name)
    if (global === undefined && member === undefined) return undefined
    if (global?.[1]._tag === "flag") {
      const next = argv[i + 1]
      if (eq !== -1 || (next !== undefined && booleanWords.has(next.toLowerCase()))) return undefined
      if (globals[global[0]] !== undefined) return undefined
      globals[global[0]] = true
      continue
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1)
    if (value === undefined || value === "" || value.startsWith("-")) return undefined
    if (member !== undefined) {
      if (members.has(member)) return undefined
      members.set(member, value)
      continue
    }
    const [key, kind] = global!
    if (globals[key] !== undefined) return undefined
    if (kind._tag === "integer") {
      if (!/^\d+$/.test(value)) return undefined
      globals[key] = Number(value)
    } else if (kind._tag === "choice") {
      if (!kind.values.includes(value)) return undefined
      globals[key] = value
    } else {
      globals[key] = value
    }
  }
  if (operation === undefined) return undefined
  const flagged = (key: keyof Globals) => globals[key] === true
  return {
    operation,
    members,
    globals: {
      region: globals.region as string | undefined,
      profile: globals.profile as string | undefined,
      endpointUrl: globals.endpointUrl as string | undefined,
      output: globals.output as Globals["output"],
      query: globals.query as string | undefined,
      debug: flagged("debug"),
      noColor: flagged("noColor"),
      color: globals.color as Globals["color"],
      noCliPager: flagged("noCliPager"),
      noVerifySsl: flagged("noVerifySsl"),
      caBundle: globals.caBundle as string | undefined,
      cliReadTimeout: globals.cliReadTimeout as number | undefined,
      cliConnectTimeout: globals.cliConnectTimeout as number | undefined,
      noSignRequest: flagged("noSignRequest")
    }
  }
}

/**
 * The request, built as `Run.prepare` builds it (members in the model's order, structured
 * values from shorthand or JSON), or undefined when a value does not parse, a required member
 * is missing or the AWS CLI's parameter check would refuse it.
 */
export const request = (line: Line, cwd: string): Record<string, unknown> | undefined => {
  const shape = requests[line.operation].input
  if (shape.type !== "structure") return undefined
  const read: Shorthand.ReadFile = (file) => Fs.readFileSync(Path.resolve(cwd, file), "utf8")
  const built: Record<string, unknown> = {}
  for (const m of shape.members) {
    const raw = line.members.get(m.name)
    if (raw === undefined) {
      if (m.required) return undefined
      continue
    }
    if (m.shape.type === "string") {
      built[m.name] = raw
    } else if (m.shape.type === "structure" || m.shape.type === "list" || m.shape.type === "map") {
      const parsed = Shorthand.parse(flagOf(m.name), m.name, raw, m.shape, read)
      if (Either.isLeft(parsed)) return undefined
      built[m.name] = parsed.right
    } else {
      return undefined
    }
  }
  return ParameterValidation.validate(built, shape).length === 0 ? built : undefined
}

const call = (client: NodeMicroLocationJobs.NodeMicroLocationJobs, operation: Operation, input: Record<string, unknown>) => {
  switch (operation) {
    case "GetJob":
      return client.getJob(input as never)
    case "CancelJob":
      return client.cancelJob(input as never)
    case "StartJob":
      return client.startJob(input as never)
  }
}

/**
 * Runs `argv` when this module takes it, returning the exit code; undefined (with nothing
 * printed) when `Cli.main` must run it.
 */
export const run = async (argv: ReadonlyArray<string>, io: IoService): Promise<number | undefined> => {
  const line = parse(argv)
  if (line === undefined) return undefined
  const { globals, operation } = line
  if (globals.debug || globals.noSignRequest) return undefined
  if (globals.query !== undefined && (await Query.check(globals.query)) !== undefined) return undefined
  const input = request(line, io.cwd)
  if (input === undefined) return undefined

  const target = Target.resolve(globals, io.env)
  if (Either.isLeft(target) || target.right._tag === "Embedded") return undefined
  const profile = Settings.selectedProfile(globals, io)
  const transport = Settings.transportOptions(globals, profile, io)
  const retry = Settings.retryOptions(profile, io)
  const credentials = Settings.staticCredentials(globals, target.right, io.env)
  if (Either.isLeft(transport) || Either.isLeft(retry) || credentials === undefined) return undefined
  const options = Settings.clientOptions(target.right, io.env, retry.right)
  const tls = transport.right
  const client = NodeMicroLocationJobs.make({
    ...options,
    credentials,
    connectTimeoutMs: tls.connectTimeout,
    readTimeoutMs: tls.readTimeout,
    tls: {
      ...(tls.rejectUnauthorized === false ? { rejectUnauthorized: false } : {}),
      ...(tls.ca !== undefined ? { ca: tls.ca as Buffer } : {})
    }
  })
  if (client.endpoint instanceof LocationJobsClientError) return undefined

  io.stderr(`geojobs: target: ${Settings.describeTarget(target.right)}\n`)
  const exit = await Micro.runPromiseExit(call(client, operation, input))
  client.close()
  if (exit._tag === "Success") {
    io.stdout(await Output.render(Settings.printOptions(globals, io, operation, profile), exit.value))
    return ExitCode.Ok
  }
  const cause = exit.cause
  if (cause._tag === "Interrupt") return ExitCode.Interrupted
  const failure = cause._tag === "Fail"
    ? Failure.describe(new OperationError({ operation, error: cause.error }), client.endpoint.url)
    : Failure.internal(cause.defect)
  io.stderr(`geojobs: ${failure.message}\n`)
  return failure.code
}
