/**
 * A `geojobs validate` run traced with OpenTelemetry: `@effect/opentelemetry`'s `NodeSdk.layer`
 * with an in-memory exporter around the CLI's own program, on the embedded local service, then
 * the spans printed as a tree — the run, each Jobs API operation (`LocationJobs.StartJob`,
 * `LocationJobs.GetJob`, …) with its attempts under it, the wait with its polls, retries as events.
 *
 *   pnpm trace-example                  # validates examples/addresses.csv in a temp directory
 *   pnpm trace-example my-addresses.csv
 *
 * To send the spans to a collector instead, give `NodeSdk.layer` a `BatchSpanProcessor` over an
 * OTLP exporter (`@opentelemetry/exporter-trace-otlp-http`); nothing else changes.
 */
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import * as Cli from "@geojobs/cli/Cli"
import * as Io from "@geojobs/cli/Io"
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

/** What `traceValidate` needs: the file to validate, and where the CLI's own output goes. */
export interface TraceValidateOptions {
  /** A CSV, Parquet or JSON Lines file of addresses. Default: `examples/addresses.csv`. */
  readonly file?: string | undefined
  /** The CLI's stdout and stderr. Default: captured (see the result). */
  readonly stdout?: ((text: string) => void) | undefined
  readonly stderr?: ((text: string) => void) | undefined
}

/** The run's exit code, its finished spans, and the tree `renderTree` makes of them. */
export interface TraceValidateResult {
  readonly code: number
  readonly spans: ReadonlyArray<ReadableSpan>
  readonly tree: string
  /** What the CLI wrote on stdout and stderr (when not passed through). */
  readonly stdout: string
  readonly stderr: string
}

const here = Path.dirname(fileURLToPath(import.meta.url))

/**
 * Runs `geojobs validate <file>` in a fresh working directory (so on the embedded local service,
 * with its data in `<dir>/.geojobs`), traced with OpenTelemetry, and returns the spans.
 */
export const traceValidate = async (options: TraceValidateOptions = {}): Promise<TraceValidateResult> => {
  const source = Path.resolve(options.file ?? Path.join(here, "addresses.csv"))
  const cwd = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-trace-"))
  const name = Path.basename(source)
  Fs.copyFileSync(source, Path.join(cwd, name))
  const captured = Io.capture({ cwd, env: { HOME: cwd, AWS_EC2_METADATA_DISABLED: "true" } })
  const io: Io.IoService = {
    ...captured,
    stdout: options.stdout ?? captured.stdout,
    stderr: options.stderr ?? captured.stderr
  }

  const exporter = new InMemorySpanExporter()
  const tracing = NodeSdk.layer(() => ({
    resource: { serviceName: "geojobs-trace-example" },
    spanProcessor: new SimpleSpanProcessor(exporter)
  }))
  const program = Effect.gen(function*() {
    const code = yield* Cli.main(["validate", name], io).pipe(
      Effect.withSpan("geojobs validate", { attributes: { "geojobs.input": name } })
    )
    // Read before the layer closes: shutting the provider down empties the exporter.
    return { code, spans: [...exporter.getFinishedSpans()] }
  })
  try {
    const { code, spans } = await Effect.runPromise(Effect.provide(program, tracing))
    return { code, spans, tree: renderTree(spans), stdout: captured.stdoutText(), stderr: captured.stderrText() }
  } finally {
    Fs.rmSync(cwd, { recursive: true, force: true })
  }
}

/** Attributes shown in the tree (the rest are in the spans). */
const shown = [
  "aws.location.job_id",
  "geojobs.attempt",
  "geojobs.attempts",
  "http.response.status_code",
  "aws.request_id",
  "error.type",
  "geojobs.throttles",
  "aws.location.job_status",
  "geojobs.wait.polls",
  "geojobs.wait.outcome",
  "geojobs.pages"
]

const millis = (span: ReadableSpan) => span.duration[0] * 1e3 + span.duration[1] / 1e6

/** The local service's SQLite spans: many, and not what this example is about. */
const isStoreSpan = (span: ReadableSpan) => span.name.startsWith("sql.")

/**
 * The spans as an indented tree, children in start order: name (✗ when it failed), duration, key
 * attributes, events. Spans for which `hide` is true are left out with everything under them
 * (default: the embedded service's `sql.*` spans).
 */
export const renderTree = (
  spans: ReadonlyArray<ReadableSpan>,
  hide: (span: ReadableSpan) => boolean = isStoreSpan
): string => {
  const ids = new Set(spans.map((s) => s.spanContext().spanId))
  const byParent = new Map<string | undefined, Array<ReadableSpan>>()
  for (const s of spans) {
    const parent = s.parentSpanContext?.spanId
    const key = parent !== undefined && ids.has(parent) ? parent : undefined
    byParent.set(key, [...(byParent.get(key) ?? []), s])
  }
  const start = (s: ReadableSpan) => s.startTime[0] * 1e9 + s.startTime[1]
  const lines: Array<string> = []
  let hidden = 0
  const count = (span: ReadableSpan): number =>
    1 + (byParent.get(span.spanContext().spanId) ?? []).reduce((n, c) => n + count(c), 0)
  const walk = (span: ReadableSpan, prefix: string, last: boolean, root: boolean) => {
    const attrs = shown
      .filter((k) => span.attributes[k] !== undefined)
      .map((k) => `${k}=${String(span.attributes[k])}`)
      .join(" ")
    const failed = span.status.code === 2 ? " ✗" : ""
    lines.push(`${prefix}${root ? "" : last ? "└─ " : "├─ "}${span.name}${failed} (${millis(span).toFixed(1)} ms)${attrs ? "  " + attrs : ""}`)
    const inner = root ? prefix : prefix + (last ? "   " : "│  ")
    for (const e of span.events) {
      if (e.name.startsWith("exception")) continue
      const ea = Object.entries(e.attributes ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(" ")
      lines.push(`${inner}  · ${e.name}${ea ? "  " + ea : ""}`)
    }
    const children = [...(byParent.get(span.spanContext().spanId) ?? [])]
      .filter((c) => (hide(c) ? ((hidden += count(c)), false) : true))
      .sort((a, b) => start(a) - start(b))
    children.forEach((c, i) => walk(c, inner, i === children.length - 1, false))
  }
  const roots = [...(byParent.get(undefined) ?? [])]
    .filter((r) => (hide(r) ? ((hidden += count(r)), false) : true))
    .sort((a, b) => start(a) - start(b))
  for (const r of roots) walk(r, "", true, true)
  if (hidden > 0) lines.push(`(${hidden} more spans not shown)`)
  return lines.join("\n")
}

if (process.argv[1] !== undefined && Path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // The AWS SDK's Node 22 notice (from the S3 client the CLI uploads with) is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true"
  const result = await traceValidate({
    file: process.argv[2],
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t)
  })
  process.stdout.write(`\nspans of the run (${result.spans.length}):\n${result.tree}\n`)
  process.exitCode = result.code
}
