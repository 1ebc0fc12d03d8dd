/**
 * Nothing secret in any span, span event or log line: StartJob and GetJob through the whole Node
 * stack (SigV4 signing, the lean undici transport, and the platform's traced HttpClient with
 * `transportSpans`) against a loopback server that throttles, fails and drops a connection before
 * answering, under a recording tracer and a capturing logger at every level. The credentials'
 * secret and session token, and the signature the server received, must appear nowhere in what
 * was recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import { job, startJobRequest } from "@geojobs/core/TestFixtures"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Tracer from "effect/Tracer"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as util from "node:util"
import * as NodeLocationJobs from "../src/NodeLocationJobs.js"

const secretAccessKey = "SeCrEtKeY-7c1f0e9b-do-not-leak-4aa2"
const sessionToken = "SeSsIoNtOkEn-93d2b1-do-not-leak-77ef"
const accessKeyId = "AKIATRACINGTEST0001"

interface Seen {
  readonly url: string
  readonly authorization: string
  readonly token: string | undefined
  readonly traceparent: string | undefined
}

/** Per path, what the server does with the n-th request; then 200. */
type Misbehaviour = "throttle" | "fail" | "drop"
const plans: Record<string, Array<Misbehaviour>> = {}
const seen: Array<Seen> = []
let server: http.Server
let endpoint = ""

beforeAll(async () => {
  let n = 0
  server = http.createServer({ keepAlive: true }, (req, res) => {
    req.resume()
    req.on("end", () => {
      const url = req.url ?? ""
      seen.push({
        url,
        authorization: String(req.headers["authorization"] ?? ""),
        token: req.headers["x-amz-security-token"] as string | undefined,
        traceparent: req.headers["traceparent"] as string | undefined
      })
      const requestId = `rid-${++n}`
      const next = (plans[url] ?? []).shift()
      if (next === "drop") return void req.socket.destroy()
      if (next === "throttle" || next === "fail") {
        const [status, code] = next === "throttle" ? [429, "ThrottlingException"] : [500, "InternalServerException"]
        res.writeHead(status, { "content-type": "application/json", "x-amzn-errortype": code, "x-amzn-requestid": requestId })
        return void res.end(JSON.stringify({ message: `${code} (try again)` }))
      }
      res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": requestId })
      res.end(JSON.stringify(
        url.endsWith("/metadata/v0/jobs")
          ? { CreatedAt: "2026-01-01T00:00:00Z", JobArn: "arn:aws:geo:us-east-1:123456789012:job/job-s", JobId: "job-s", Status: "Pending" }
          : job("job-s", "Running")
      ))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

/** Records spans with everything a tracer is handed. */
const recordingTracer = () => {
  const spans: Array<{
    name: string
    parent: Option.Option<Tracer.AnySpan>
    attributes: Map<string, unknown>
    events: Array<[string, Record<string, unknown> | undefined]>
    exit?: Exit.Exit<unknown, unknown>
  }> = []
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const record: (typeof spans)[number] = { name, parent, attributes: new Map(), events: [] }
      spans.push(record)
      return {
        _tag: "Span",
        name,
        spanId: `s${spans.length}`,
        traceId: "t1",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes: record.attributes,
        links,
        sampled: true,
        kind,
        end: (_endTime, exit) => void (record.exit = exit),
        attribute: (key, value) => void record.attributes.set(key, value),
        event: (name, _startTime, attributes) => void record.events.push([name, attributes]),
        addLinks: () => {}
      }
    },
    context: (f) => f()
  })
  return { tracer, spans }
}

const start = startJobRequest()

/** Everything recorded, as text: attributes, events, exits (pretty, JSON and inspected), log lines. */
const serialize = (spans: ReturnType<typeof recordingTracer>["spans"], logs: Array<unknown>): string => {
  const json = (v: unknown) => {
    try {
      return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x instanceof Map ? Object.fromEntries(x) : x))
    } catch (e) {
      return `unserializable: ${String(e)}`
    }
  }
  const parts: Array<string> = []
  for (const s of spans) {
    parts.push(s.name, json(Object.fromEntries(s.attributes)), util.inspect(s.attributes, { depth: 10 }), json(s.events))
    if (s.exit === undefined) continue
    if (s.name.startsWith("http.client")) {
      // The platform's own HTTP span (transportSpans) ends with its own values: the response, or a
      // RequestError, both holding the signed request. What a tracer exports of an exit is the
      // status and, on failure, the pretty error (as @effect/opentelemetry records it): that is
      // checked. The client's own spans below are serialized in full.
      if (Exit.isFailure(s.exit)) parts.push(Cause.pretty(s.exit.cause, { renderErrorCause: true }))
      continue
    }
    parts.push(json(s.exit), util.inspect(s.exit, { depth: 12 }))
    if (Exit.isFailure(s.exit)) {
      parts.push(Cause.pretty(s.exit.cause, { renderErrorCause: true }))
      for (const e of Cause.prettyErrors(s.exit.cause)) parts.push(e.message, e.stack ?? "")
    }
  }
  for (const l of logs) parts.push(json(l), util.inspect(l, { depth: 12 }))
  return parts.join("\n")
}

describe("no secrets in spans, events or logs", () => {
  for (const transportSpans of [false, true]) {
    it.live(`StartJob and GetJob with throttling, 5xx and a dropped connection (transportSpans: ${transportSpans})`, () =>
      Effect.gen(function*() {
        plans["/metadata/v0/jobs"] = ["throttle", "drop"]
        plans["/metadata/v0/jobs/job-s"] = ["fail"]
        seen.length = 0
        const { spans, tracer } = recordingTracer()
        const logs: Array<unknown> = []
        const logger = Logger.make((options) =>
          void logs.push({
            level: options.logLevel.label,
            message: options.message,
            annotations: Object.fromEntries(options.annotations),
            cause: Cause.isEmpty(options.cause) ? undefined : Cause.pretty(options.cause, { renderErrorCause: true }),
            spans: [...options.spans]
          })
        )
        const layer = NodeLocationJobs.layer({
          endpoint,
          region: "us-east-1",
          credentials: { accessKeyId, secretAccessKey, sessionToken },
          retry: { baseDelay: "1 millis", throttlingBaseDelay: "1 millis" },
          transportSpans
        })

        const program = Effect.gen(function*() {
          const started = yield* LocationJobs.startJob(start)
          const job = yield* LocationJobs.getJob({ JobId: started.JobId })
          // A call that fails for good: its error goes through the spans' exits too.
          const denied = yield* Effect.flip(
            LocationJobs.getJob({ JobId: "job-gone" }).pipe(Effect.provide(NodeLocationJobs.layer({
              endpoint: "http://127.0.0.1:9",
              region: "us-east-1",
              credentials: { accessKeyId, secretAccessKey, sessionToken },
              retry: false,
              transportSpans
            })))
          )
          yield* Effect.logError("the call failed", denied)
          return job
        })
        const job = yield* program.pipe(
          Effect.provide(layer),
          Effect.withSpan("test"),
          Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
          Logger.withMinimumLogLevel(LogLevel.All),
          Effect.withTracer(tracer)
        )
        expect(job.Status).toBe("Running")

        // The calls went as planned: throttled, dropped, then answered; 5xx, then answered.
        expect(seen.map((s) => s.url)).toEqual([
          "/metadata/v0/jobs",
          "/metadata/v0/jobs",
          "/metadata/v0/jobs",
          "/metadata/v0/jobs/job-s",
          "/metadata/v0/jobs/job-s"
        ])
        const signatures = seen.map((s) => /Signature=([0-9a-f]{64})/.exec(s.authorization)?.[1])
        expect(signatures.every((s) => s !== undefined)).toBe(true)
        expect(seen.every((s) => s.token === sessionToken)).toBe(true)
        // Without transportSpans the lean transport's untraced path sends (no propagation headers),
        // even with a tracer installed; with them the platform's traced path does.
        expect(seen.map((s) => s.traceparent !== undefined)).toEqual(seen.map(() => transportSpans))

        // Something was recorded: the attempt spans, the retry events and their log lines.
        const names = spans.map((s) => s.name)
        expect(names.filter((n) => n === "LocationJobs.StartJob attempt")).toHaveLength(3)
        expect(names.filter((n) => n === "LocationJobs.GetJob attempt")).toHaveLength(3)
        if (transportSpans) expect(names.some((n) => n.startsWith("http.client"))).toBe(true)
        expect(logs.filter((l) => (l as { level: string }).level === "DEBUG").length).toBeGreaterThanOrEqual(3)

        const text = serialize(spans, logs)
        expect(text).toContain("ThrottlingException")
        expect(text).toContain("rid-1") // the text is really what was recorded
        for (const secret of [secretAccessKey, sessionToken, ...signatures as Array<string>]) {
          expect(text).not.toContain(secret)
        }
        // No Authorization or X-Amz-Security-Token value in any form.
        expect(text).not.toMatch(/AWS4-HMAC-SHA256 Credential/)
        expect(text).not.toContain("SeSsIoNtOkEn")
        expect(text).not.toContain("SeCrEtKeY")
      }))
  }
})
