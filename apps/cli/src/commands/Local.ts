/**
 * `geojobs local`: runs the embedded local service in the foreground (the same options as
 * `pnpm geojobs-local`) until Ctrl-C. Point other commands at it with
 * `--endpoint-url http://127.0.0.1:4566`.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type { AuthPolicy } from "@geojobs/local/Auth"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Path from "node:path"
import { TargetError, UsageError } from "../CliError.js"
import { Io } from "../Io.js"
import { optionalText } from "../Globals.js"

/** `local`. */
export const command = Command.make(
  "local",
  {
    port: Options.integer("port").pipe(Options.withDescription("TCP port (0 picks a free one)."), Options.withDefault(4566)),
    host: Options.text("host").pipe(Options.withDescription("Interface to bind."), Options.withDefault("127.0.0.1")),
    dataDir: Options.text("data-dir").pipe(Options.withDescription("Where jobs and objects live."), Options.withDefault("./.geojobs")),
    noAuth: Options.boolean("no-auth").pipe(Options.withDescription("Accept unsigned requests.")),
    accessKeyId: optionalText("access-key-id", "The access key clients sign with (default test)."),
    secretAccessKey: optionalText("secret-access-key", "Its secret (default test)."),
    region: optionalText("region", "Region in job ARNs (default us-east-1)."),
    workers: Options.integer("workers").pipe(
      Options.withDescription("Validation worker threads (default: one per core; 0 validates in the runner's own thread)."),
      Options.optional,
      Options.map(Option.getOrUndefined)
    ),
    warmWorkers: Options.boolean("warm-workers").pipe(
      Options.withDescription(
        "Start the workers now and warm each up on sample rows (~3 s, ~220 MiB each), so the first large job runs at full speed; by default they start with the first file of 20,000 rows or more."
      )
    )
  },
  (config) =>
    Effect.gen(function*() {
      const io = yield* Io
      if (config.port < 0 || config.port > 65535) {
        return yield* new UsageError({ message: `--port must be an integer 0-65535, got ${config.port}` })
      }
      if (config.workers !== undefined && (config.workers < 0 || config.workers > 256)) {
        return yield* new UsageError({ message: `--workers must be an integer 0-256, got ${config.workers}` })
      }
      if (config.warmWorkers && config.workers === 0) {
        return yield* new UsageError({ message: "--warm-workers needs workers (not --workers 0)" })
      }
      if ((config.accessKeyId === undefined) !== (config.secretAccessKey === undefined)) {
        return yield* new UsageError({ message: "--access-key-id and --secret-access-key go together" })
      }
      const auth: AuthPolicy | undefined = config.noAuth
        ? { _tag: "Open" }
        : config.accessKeyId !== undefined && config.secretAccessKey !== undefined
        ? { _tag: "Keys", keys: [{ accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }] }
        : undefined
      const LocalService = yield* Effect.promise(() => import("@geojobs/local/LocalService"))
      yield* Effect.scoped(
        Effect.gen(function*() {
          const context = yield* LocalService.make({
            port: config.port,
            host: config.host,
            dataDir: Path.resolve(io.cwd, config.dataDir),
            auth,
            region: config.region,
            owner: "geojobs local",
            runnerOptions: {
              ...(config.workers !== undefined ? { workers: config.workers } : {}),
              ...(config.warmWorkers ? { warmWorkers: true } : {})
            }
          }).pipe(Effect.mapError((e) => new TargetError({ message: `the local service could not start: ${e.message}`, cause: e })))
          io.stdout(
            `geojobs local service ready at ${context.url} (data in ${config.dataDir}; ` +
              `${context.credentials ? `sign with ${context.credentials.accessKeyId}/<secret>` : "auth off"})\n` +
              `  use it:  geojobs --endpoint-url ${context.url} list-jobs\n`
          )
          return yield* Effect.never
        })
      )
    })
).pipe(Command.withDescription("Runs the local service in the foreground (as pnpm geojobs-local) until Ctrl-C."))
