/**
 * The CLI's view of its process: where text goes, what the environment says, whether the
 * streams are terminals. `bin.ts` builds it from `process`; tests build one that captures
 * output, so commands run in-process with an isolated environment.
 *
 * @since 0.1.0
 */
import * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { Console as NodeConsole } from "node:console"
import { Writable } from "node:stream"

/** What a run of the CLI reads and writes. */
export interface IoService {
  /** Writes to standard output (no newline added). */
  readonly stdout: (text: string) => void
  /** Writes to standard error (no newline added). */
  readonly stderr: (text: string) => void
  /** The environment (never `process.env` directly: tests pass their own). */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The working directory relative paths are resolved against. */
  readonly cwd: string
  /** Standard output is a terminal (json output is the default otherwise… and on a TTY too, as the AWS CLI). */
  readonly stdoutIsTty: boolean
  /** Standard error is a terminal (live progress lines). */
  readonly stderrIsTty: boolean
  /** Width of the terminal, for the live status line. */
  readonly columns?: number | undefined
}

/** The Io of the current run. */
export class Io extends Context.Tag("@geojobs/cli/Io")<Io, IoService>() {}

/** Writes a line to standard output. */
export const out = (line: string): Effect.Effect<void, never, Io> => Effect.map(Io, (io) => io.stdout(line + "\n"))

/** Writes a line to standard error. */
export const err = (line: string): Effect.Effect<void, never, Io> => Effect.map(Io, (io) => io.stderr(line + "\n"))

/** An in-memory Io for tests: everything written is kept. */
export interface CapturedIo extends IoService {
  readonly stdoutText: () => string
  readonly stderrText: () => string
}

/** Builds a capturing Io. */
export const capture = (
  options: { readonly env?: Readonly<Record<string, string | undefined>>; readonly cwd?: string; readonly tty?: boolean } = {}
): CapturedIo => {
  let o = ""
  let e = ""
  return {
    stdout: (t) => {
      o += t
    },
    stderr: (t) => {
      e += t
    },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stdoutIsTty: options.tty ?? false,
    stderrIsTty: options.tty ?? false,
    columns: 100,
    stdoutText: () => o,
    stderrText: () => e
  }
}

/** Removes ANSI colour and style sequences. */
export const stripAnsi = (text: string): string => text.replace(/\x1b\[[0-9;]*m/g, "")

const writable = (write: (text: string) => void) =>
  new Writable({
    write(chunk, _encoding, callback) {
      write(String(chunk))
      callback()
    }
  })

/**
 * An Effect `Console` writing to the Io (what @effect/cli prints help, versions and
 * completions with): log/info/debug → stdout, error/warn → stderr.
 */
export const console = (io: IoService, color = false): Console.Console => {
  const plain = (write: (text: string) => void) => (color ? write : (text: string) => write(stripAnsi(text)))
  const c = new NodeConsole({ stdout: writable(plain(io.stdout)), stderr: writable(plain(io.stderr)), colorMode: false })
  const s = (f: () => void) => Effect.sync(f)
  return {
    [Console.TypeId]: Console.TypeId,
    assert: (condition, ...args) => s(() => c.assert(condition, ...args)),
    clear: Effect.void,
    count: (label) => s(() => c.count(label)),
    countReset: (label) => s(() => c.countReset(label)),
    debug: (...args) => s(() => c.debug(...args)),
    dir: (item, options) => s(() => c.dir(item, options)),
    dirxml: (...args) => s(() => c.dirxml(...args)),
    error: (...args) => s(() => c.error(...args)),
    group: (options) => s(() => (options?.collapsed ? c.groupCollapsed(options?.label) : c.group(options?.label))),
    groupEnd: s(() => c.groupEnd()),
    info: (...args) => s(() => c.info(...args)),
    log: (...args) => s(() => c.log(...args)),
    table: (data, properties) => s(() => c.table(data, properties)),
    time: (label) => s(() => c.time(label)),
    timeEnd: (label) => s(() => c.timeEnd(label)),
    timeLog: (label, ...args) => s(() => c.timeLog(label, ...args)),
    trace: (...args) => s(() => c.trace(...args)),
    warn: (...args) => s(() => c.warn(...args)),
    unsafe: c
  }
}
