/**
 * The worker's HTTP API:
 *
 * - `POST /batches` — JSON `{"location": "s3://…" | "/path/file.csv", "key"?: "…"}`, or the file
 *   itself as the body (any other content type) with `?name=file.csv&key=…`. 201 when created,
 *   200 when the key was known; the answer is `{created, batch}`.
 * - `GET /batches/:id`, `GET /batches?status=A,B&limit=N`, `POST /batches/:id/cancel`,
 *   `GET /batches/:id/events`, `GET /batches/:id/outputs` (the output objects of a completed
 *   batch) and `GET /batches/:id/outputs/:n` (one of them).
 * - `GET /health` (alive), `GET /ready` (ledger reachable and not shutting down),
 *   `GET /metrics` (Prometheus text).
 *
 * Every request but `GET /health` needs `Authorization: Bearer <token>` (401 otherwise); a
 * request with an `Origin` header (sent by browsers) is refused 403 unless that origin is
 * allowed. Every answer carries an `x-request-id`; errors are JSON `{error}`.
 *
 * @since 0.1.0
 */
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { randomUUID } from "node:crypto"
import * as ApiToken from "./ApiToken.js"
import { BatchState, SubmitRequest, toView } from "./Batch.js"
import * as Intake from "./Intake.js"
import { nestsDeeperThan } from "@geojobs/service/JsonDepth"
import type { LedgerService } from "./Ledger.js"
import { batchLines, type MetricsService } from "./Metrics.js"
import type { ObjectStoreService } from "./ObjectStore.js"
import * as Outputs from "./Outputs.js"
import type { IntakeError, LedgerError } from "./WorkerError.js"

/** Who may call the API. */
export interface Access {
  /** The bearer token every request but `GET /health` must present. */
  readonly token: string
  /** Origins (`scheme://host[:port]`) whose pages may call the API; empty: none. */
  readonly corsOrigins: ReadonlyArray<string>
}

/** What the API needs. */
export interface HttpApiDeps {
  readonly ledger: LedgerService
  readonly metrics: MetricsService
  readonly store: ObjectStoreService
  readonly spoolDir: string
  readonly owner: string
  readonly access: Access
  readonly intake: Intake.IntakePolicy
  /** True while the worker accepts work. */
  readonly ready: () => boolean
  /** Tells the stages there is new work. */
  readonly wake: Effect.Effect<void>
}

const json = (status: number, body: unknown) => HttpServerResponse.unsafeJson(body, { status })
const problem = (status: number, message: string) => json(status, { error: message })

const decodeSubmit = Schema.decodeUnknownEither(SubmitRequest)
const isState = Schema.is(BatchState)

/** The largest JSON body: a submit is a location and a key. */
const maxJsonBytes = 64 * 1024
/** Nesting a submit never needs; deeper bodies are refused before they are decoded. */
const maxJsonDepth = 16

const extFor = (contentType: string) =>
  /csv/.test(contentType) ? ".csv" : /ndjson|jsonl|json-seq/.test(contentType) ? ".jsonl" : ".parquet"

const decodePart = (part: string): Option.Option<string> => {
  try {
    return Option.some(decodeURIComponent(part))
  } catch {
    return Option.none()
  }
}

const routes = (deps: HttpApiDeps) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const url = new URL(request.url, "http://worker")
    const path = url.pathname.replace(/\/+$/, "") || "/"
    const method = request.method
    const { ledger } = deps

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
      const declared = Number(request.headers["content-length"] ?? 0)
      const result = contentType.startsWith("application/json")
        ? yield* Effect.flatMap(
          Effect.either(HttpIncomingMessage.withMaxBodySize(request.text, Option.some(maxJsonBytes))),
          (body): Effect.Effect<Intake.Submitted | HttpServerResponse.HttpServerResponse, IntakeError | LedgerError> => {
            if (Either.isLeft(body)) return Effect.succeed(problem(400, `bad request: a JSON body of at most ${maxJsonBytes} bytes is expected`))
            if (nestsDeeperThan(body.right, maxJsonDepth)) return Effect.succeed(problem(400, `bad request: the JSON is nested more than ${maxJsonDepth} deep`))
            let parsed: unknown
            try {
              parsed = JSON.parse(body.right)
            } catch {
              return Effect.succeed(problem(400, "bad request: the body is not JSON"))
            }
            const input = decodeSubmit(parsed)
            return Either.isLeft(input)
              ? Effect.succeed(problem(400, `bad request: ${input.left.message}`))
              : Intake.submitLocation(ledger, input.right, deps.intake.allowedDirs)
          }
        )
        : Number.isFinite(declared) && declared > deps.intake.maxUploadBytes
        ? problem(413, `the upload is larger than ${deps.intake.maxUploadBytes} bytes (the worker's --max-upload-bytes)`)
        : yield* Intake.submitUpload(ledger, deps.spoolDir, {
          name: url.searchParams.get("name") ?? `upload${extFor(contentType)}`,
          key: url.searchParams.get("key") ?? undefined,
          body: NodeHttpServerRequest.toIncomingMessage(request)
        }, deps.intake)
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
    const m = /^\/batches\/([^/]+)(\/cancel|\/events|\/outputs(?:\/([^/]+))?)?$/.exec(path)
    if (m !== null) {
      const decoded = decodePart(m[1]!)
      if (Option.isNone(decoded)) return problem(400, `bad request: the batch id in ${path} is not valid percent-encoding`)
      const id = decoded.value
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
      if (m[2]?.startsWith("/outputs") && method === "GET") {
        const b = yield* ledger.get(id)
        if (b._tag === "None") return problem(404, `no batch ${id}`)
        if (b.value.state !== "Completed") return problem(409, `batch ${id} is ${b.value.state}: outputs are there once it is Completed`)
        const files = yield* Outputs.list(deps.store, b.value)
        if (m[3] === undefined) return json(200, { outputs: files.map((f, n) => ({ n, name: f.name, size: f.size })) })
        const n = Number(m[3])
        const file = Number.isInteger(n) ? files[n] : undefined
        if (file === undefined) return problem(404, `batch ${id} has no output ${m[3]} (it has ${files.length})`)
        return yield* Outputs.response(deps.store, file)
      }
      return problem(405, `${method} not allowed on ${path}`)
    }
    return problem(404, `no route ${method} ${path}`)
  }).pipe(
    Effect.catchTags({
      IntakeError: (e) =>
        Effect.succeed(
          e.reason === "TooLarge"
            // the rest of the body is not wanted: close rather than read it on a kept-alive connection
            ? HttpServerResponse.setHeader(problem(413, e.message), "connection", "close")
            : problem(
              e.reason === "BadRequest" ? 400 : e.reason === "Forbidden" ? 403 : e.reason === "NotFound" ? 404 : 503,
              e.message
            )
        ),
      LedgerError: (e) => Effect.succeed(problem(503, `ledger unavailable: ${e.message}`)),
      InputError: (e) => Effect.succeed(problem(502, `cannot read the outputs: ${e.message}`))
    })
  )

/** Refuses requests without the token, except `GET /health`. */
const authenticated = (deps: HttpApiDeps) => <E, R>(app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const path = new URL(request.url, "http://worker").pathname.replace(/\/+$/, "")
    if (request.method === "GET" && path === "/health") return Effect.succeed(json(200, { status: "ok", owner: deps.owner }))
    const presented = ApiToken.fromAuthorization(request.headers["authorization"])
    if (presented === undefined || !ApiToken.matches(deps.access.token, presented)) {
      return Effect.succeed(
        HttpServerResponse.setHeader(
          problem(401, presented === undefined
            ? "this worker needs its API token: send Authorization: Bearer <token> (the token is in <work-dir>/api-token)"
            : "the API token is not this worker's (see <work-dir>/api-token)"),
          "www-authenticate",
          "Bearer realm=\"geojobs-worker\""
        )
      )
    }
    return app
  })

/** Refuses requests from web pages of origins not allowed; answers the allowed ones' preflights. */
const sameOriginOrAllowed = (deps: HttpApiDeps) => {
  const allowed = deps.access.corsOrigins
  const cors = allowed.length === 0 ? undefined : HttpMiddleware.cors({
    allowedOrigins: allowed,
    allowedMethods: ["GET", "POST"],
    allowedHeaders: ["authorization", "content-type"]
  })
  return <E, R>(app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) => {
    const withCors = cors === undefined ? app : cors(app)
    return Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const origin = request.headers["origin"]
      if (origin !== undefined && !allowed.includes(origin)) {
        return Effect.succeed(
          problem(403, `requests from origin ${origin} are not allowed (the worker allows ${allowed.length === 0 ? "none; see --cors-origin" : allowed.join(", ")})`)
        )
      }
      return withCors
    })
  }
}

/** The request handler. */
export const make = (deps: HttpApiDeps) =>
  Effect.gen(function*() {
    const requestId = randomUUID()
    const response = yield* sameOriginOrAllowed(deps)(authenticated(deps)(routes(deps))).pipe(
      // nothing a client sends may end in an empty 500: a defect is logged, and answered in JSON
      Effect.catchAllCause((cause) =>
        Effect.as(Effect.logError("request failed", cause), problem(500, "internal error; see the worker's log"))
      ),
      Effect.annotateLogs({ requestId })
    )
    return HttpServerResponse.setHeader(response, "x-request-id", requestId)
  })
