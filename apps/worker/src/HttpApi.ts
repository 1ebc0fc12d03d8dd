/**
 * The worker's HTTP API:
 *
 * - `POST /batches` — JSON `{"location": "s3://…" | "/path/file.csv", "key"?: "…"}`, or the file
 *   itself as the body (any other content type) with `?name=file.csv&key=…`. 201 when created,
 *   200 when the key was known; the answer is `{created, batch}`.
 * - `GET /batches/:id`, `GET /batches?status=A,B&limit=N`, `POST /batches/:id/cancel`,
 *   `GET /batches/:id/events`.
 * - `GET /health` (alive), `GET /ready` (ledger reachable and not shutting down),
 *   `GET /metrics` (Prometheus text).
 *
 * @since 0.1.0
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import { BatchState, SubmitRequest, toView } from "./Batch.js"
import * as Intake from "./Intake.js"
import type { LedgerService } from "./Ledger.js"
import { batchLines, type MetricsService } from "./Metrics.js"
import type { IntakeError, LedgerError } from "./WorkerError.js"

/** What the API needs. */
export interface HttpApiDeps {
  readonly ledger: LedgerService
  readonly metrics: MetricsService
  readonly spoolDir: string
  readonly owner: string
  /** True while the worker accepts work. */
  readonly ready: () => boolean
  /** Tells the stages there is new work. */
  readonly wake: Effect.Effect<void>
}

const json = (status: number, body: unknown) => HttpServerResponse.unsafeJson(body, { status })
const problem = (status: number, message: string) => json(status, { error: message })

const decodeSubmit = Schema.decodeUnknownEither(SubmitRequest)
const isState = Schema.is(BatchState)

const extFor = (contentType: string) =>
  /csv/.test(contentType) ? ".csv" : /ndjson|jsonl|json-seq/.test(contentType) ? ".jsonl" : ".parquet"

/** The request handler. */
export const make = (deps: HttpApiDeps) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const url = new URL(request.url, "http://worker")
    const path = url.pathname.replace(/\/+$/, "") || "/"
    const method = request.method
    const { ledger } = deps

    if (method === "GET" && path === "/health") return json(200, { status: "ok", owner: deps.owner })
    if (method === "GET" && path === "/ready") {
      if (!deps.ready()) return json(503, { status: "stopping" })
      const ok = yield* Effect.either(ledger.counts())
      return Either.isRight(ok) ? json(200, { status: "ready" }) : json(503, { status: "ledger unavailable", error: ok.left.message })
    }
    if (method === "GET" && path === "/metrics") {
      const counts = yield* Effect.either(ledger.counts())
      const text = deps.metrics.render(Either.isRight(counts) ? batchLines(counts.right) : [])
      return HttpServerResponse.text(text, { contentType: "text/plain; version=0.0.4" })
    }

    if (path === "/batches" && method === "POST") {
      if (!deps.ready()) return problem(503, "the worker is shutting down")
      const contentType = request.headers["content-type"] ?? ""
      const result = contentType.startsWith("application/json")
        ? yield* Effect.flatMap(
          Effect.either(request.json),
          (body): Effect.Effect<Intake.Submitted | HttpServerResponse.HttpServerResponse, IntakeError | LedgerError> => {
            if (Either.isLeft(body)) return Effect.succeed(problem(400, "bad request: the body is not JSON"))
            const input = decodeSubmit(body.right)
            return Either.isLeft(input)
              ? Effect.succeed(problem(400, `bad request: ${input.left.message}`))
              : Intake.submitLocation(ledger, input.right)
          }
        )
        : yield* Intake.submitUpload(ledger, deps.spoolDir, {
          name: url.searchParams.get("name") ?? `upload${extFor(contentType)}`,
          key: url.searchParams.get("key") ?? undefined,
          body: NodeHttpServerRequest.toIncomingMessage(request)
        })
      if (!HttpServerResponse.isServerResponse(result)) {
        if (result.created) yield* deps.wake
        yield* Effect.logInfo(result.created ? "batch received" : "batch key already known").pipe(
          Effect.annotateLogs({ batchId: result.batch.id })
        )
        return json(result.created ? 201 : 200, { created: result.created, batch: toView(result.batch) })
      }
      return result
    }
    if (path === "/batches" && method === "GET") {
      const status = url.searchParams.get("status")
      const states = status === null || status === "" ? [] : status.split(",").map((s) => s.trim())
      const bad = states.find((s) => !isState(s))
      if (bad !== undefined) return problem(400, `unknown status ${bad}; one of ${BatchState.literals.join(", ")}`)
      const limit = Math.max(1, Math.min(10_000, Number(url.searchParams.get("limit") ?? 100) || 100))
      const batches = yield* ledger.list({ states: states as ReadonlyArray<BatchState>, limit })
      return json(200, { batches: batches.map(toView) })
    }
    const m = /^\/batches\/([^/]+)(\/cancel|\/events)?$/.exec(path)
    if (m !== null) {
      const id = decodeURIComponent(m[1]!)
      if (m[2] === undefined && method === "GET") {
        const b = yield* ledger.get(id)
        return b._tag === "Some" ? json(200, toView(b.value)) : problem(404, `no batch ${id}`)
      }
      if (m[2] === "/cancel" && method === "POST") {
        const b = yield* ledger.requestCancel(id, deps.owner)
        if (b._tag === "None") return problem(404, `no batch ${id}`)
        yield* Effect.logInfo("cancel requested").pipe(Effect.annotateLogs({ batchId: id }))
        return json(200, toView(b.value))
      }
      if (m[2] === "/events" && method === "GET") {
        const b = yield* ledger.get(id)
        if (b._tag === "None") return problem(404, `no batch ${id}`)
        return json(200, { events: yield* ledger.events(id) })
      }
      return problem(405, `${method} not allowed on ${path}`)
    }
    return problem(404, `no route ${method} ${path}`)
  }).pipe(
    Effect.catchTags({
      IntakeError: (e) => Effect.succeed(problem(e.reason === "BadRequest" ? 400 : e.reason === "NotFound" ? 404 : 503, e.message)),
      LedgerError: (e) => Effect.succeed(problem(503, `ledger unavailable: ${e.message}`))
    })
  )
