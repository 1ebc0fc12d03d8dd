/**
 * An `HttpClient` that answers the real wire protocol of the Jobs API in memory: requests go
 * to `@geojobs/service`'s `WireHandler` (no sockets), responses are real
 * `HttpClientResponse`s. User code therefore runs through the real codec, signer (if the
 * client is wrapped with one) and retry policy. Faults are injected through `Faults`; jobs
 * are controlled through `JobsControl`, which drives the same in-memory service that answers
 * behind the wire.
 *
 * @since 0.1.0
 */
import * as LocationJobsClient from "@geojobs/core/LocationJobsClient"
import type { LocationJobs } from "@geojobs/core/LocationJobs"
import type { LocationJobsClientError } from "@geojobs/core/LocationJobsError"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type { WireHandlerService, WireResponse } from "@geojobs/service/WireHandler"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Random from "effect/Random"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { Faults, type FaultKind, type FaultsService, type RandomFaults, type WireCall } from "./Faults.js"
import * as Backend from "./internal/backend.js"
import { JobsControl, type JobsControlService } from "./JobsControl.js"

/** Options: service settings and initial auto-progress. */
export type Options = Backend.BackendOptions

interface Planned {
  readonly kind: FaultKind
  readonly after: boolean
  readonly status: number
}

interface Script extends Planned {
  remaining: number
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

const bodyBytes = (request: HttpClientRequest.HttpClientRequest): Effect.Effect<Uint8Array, HttpClientError.RequestError> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return Effect.succeed(new Uint8Array())
    case "Uint8Array":
      return Effect.succeed(body.body)
    case "Raw":
      return body.body instanceof Uint8Array
        ? Effect.succeed(body.body)
        : typeof body.body === "string"
        ? Effect.succeed(encoder.encode(body.body))
        : Effect.fail(new HttpClientError.RequestError({ request, reason: "Encode", description: "unsupported raw body" }))
    case "Stream":
      return Stream.runCollect(body.stream).pipe(
        Effect.map((chunks) => {
          const parts = Chunk.toReadonlyArray(chunks)
          const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
          let offset = 0
          for (const p of parts) {
            out.set(p, offset)
            offset += p.length
          }
          return out
        }),
        Effect.mapError((cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause }))
      )
    case "FormData":
      return Effect.fail(new HttpClientError.RequestError({ request, reason: "Encode", description: "form data is not part of this API" }))
  }
}

const parseLogged = (bytes: Uint8Array): unknown => {
  if (bytes.length === 0) return undefined
  const text = decoder.decode(bytes)
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

const errorResponse = (status: number, name: string, message: string, requestId: string): WireResponse => ({
  status,
  headers: { "Content-Type": "application/json", "x-amzn-RequestId": requestId, "x-amzn-ErrorType": name },
  body: encoder.encode(JSON.stringify({ __type: name, message }))
})

/** Builds the client and its fault controls over a wire handler. */
export const makeClient = (
  handler: WireHandlerService,
  newId: Effect.Effect<string>
): Effect.Effect<{ readonly client: HttpClient.HttpClient; readonly faults: FaultsService }> =>
  Effect.sync(() => {
    const scripts: Array<Script> = []
    let latency: Duration.Duration | undefined
    let random: { readonly config: RandomFaults; readonly rng: Random.Random } | undefined
    const log: Array<WireCall> = []

    const enqueue = (n: number, planned: Planned) =>
      Effect.sync(() => {
        if (n > 0) scripts.push({ ...planned, remaining: n })
      })

    const pick: Effect.Effect<Planned | undefined> = Effect.suspend(() => {
      const script = scripts[0]
      if (script !== undefined) {
        script.remaining--
        if (script.remaining <= 0) scripts.shift()
        return Effect.succeed<Planned | undefined>(script)
      }
      if (random === undefined) return Effect.succeed(undefined)
      const { config, rng } = random
      return Effect.gen(function*() {
        const u = yield* rng.next
        const after = (yield* rng.next) < (config.afterProcessing ?? 0)
        const status = config.serverErrorStatus ?? 500
        let edge = config.throttle ?? 0
        if (u < edge) return { kind: "Throttle", after: false, status: 429 } as const
        edge += config.serverError ?? 0
        if (u < edge) return { kind: "ServerError", after, status } as const
        edge += config.drop ?? 0
        if (u < edge) return { kind: "Drop", after, status: 0 } as const
        edge += config.malformed ?? 0
        if (u < edge) return { kind: "Malformed", after: true, status: 200 } as const
        return undefined
      })
    })

    const client = HttpClient.make((request, url) =>
      Effect.gen(function*() {
        const body = yield* bodyBytes(request)
        if (latency !== undefined) yield* Effect.sleep(latency)
        const fault = yield* pick
        const headers = request.headers as Record<string, string>
        const path = url.pathname + url.search
        const note = (status: number | undefined, reachedService: boolean) =>
          Effect.flatMap(Clock.currentTimeMillis, (at) =>
            Effect.sync(() =>
              log.push({
                method: request.method,
                path,
                headers,
                body: parseLogged(body),
                status,
                fault: fault?.kind,
                reachedService,
                at
              })
            ))
        const drop = (reached: boolean) =>
          Effect.zipRight(
            note(undefined, reached),
            Effect.fail(
              new HttpClientError.RequestError({ request, reason: "Transport", description: "connection reset by peer (injected)" })
            )
          )

        let response: WireResponse
        if (fault !== undefined && !fault.after) {
          if (fault.kind === "Drop") return yield* drop(false)
          const requestId = yield* newId
          response = fault.kind === "Throttle"
            ? errorResponse(429, "ThrottlingException", "Rate exceeded", requestId)
            : errorResponse(fault.status, "InternalServerException", "Internal server error (injected)", requestId)
          yield* note(response.status, false)
        } else {
          const answered = yield* handler.handle({ method: request.method, path, headers, body })
          if (fault === undefined) response = answered
          else if (fault.kind === "Drop") return yield* drop(true)
          else if (fault.kind === "Malformed") {
            response = { ...answered, status: 200, body: encoder.encode("<html><body>502 Bad Gateway</body></html>") }
          } else {
            response = errorResponse(
              fault.status,
              "InternalServerException",
              "Internal server error (injected)",
              answered.headers["x-amzn-RequestId"] ?? ""
            )
          }
          yield* note(response.status, true)
        }
        return HttpClientResponse.fromWeb(
          request,
          new Response(response.body as Uint8Array<ArrayBuffer>, { status: response.status, headers: response.headers })
        )
      })
    )

    const faults: FaultsService = {
      throttleNext: (n = 1) => enqueue(n, { kind: "Throttle", after: false, status: 429 }),
      failNext: (n = 1, options = {}) =>
        enqueue(n, { kind: "ServerError", after: options.afterProcessing ?? false, status: options.status ?? 500 }),
      dropNext: (n = 1, options = {}) => enqueue(n, { kind: "Drop", after: options.afterProcessing ?? false, status: 0 }),
      malformedNext: (n = 1) => enqueue(n, { kind: "Malformed", after: true, status: 200 }),
      setLatency: (d) => Effect.sync(() => void (latency = d === undefined ? undefined : Duration.decode(d))),
      setRandom: (r) => Effect.sync(() => void (random = r === undefined ? undefined : { config: r, rng: Random.make(r.seed) })),
      reset: Effect.sync(() => {
        scripts.length = 0
        latency = undefined
        random = undefined
      }),
      calls: Effect.sync(() => log.slice()),
      clearCalls: Effect.sync(() => void log.splice(0, log.length))
    }
    return { client, faults }
  })

/** Builds the double: an `HttpClient`, its `Faults` and the `JobsControl` of the service behind it. */
export const make = (options: Options = {}): Effect.Effect<
  { readonly client: HttpClient.HttpClient; readonly faults: FaultsService; readonly control: JobsControlService },
  never,
  Scope.Scope
> =>
  Effect.gen(function*() {
    const backend = yield* Backend.make(options)
    const { client, faults } = yield* makeClient(backend.handler, backend.api.config.newId)
    return { client, faults, control: backend.control }
  })

/** `HttpClient` + `Faults` + `JobsControl`: give it to any client of the Jobs API. */
export const layer = (options: Options = {}): Layer.Layer<HttpClient.HttpClient | Faults | JobsControl> =>
  Layer.scopedContext(
    Effect.map(make(options), ({ client, control, faults }) =>
      Context.make(HttpClient.HttpClient, client).pipe(
        Context.add(Faults, faults),
        Context.add(JobsControl, control)
      ))
  )

/**
 * The core REST-JSON client (`@geojobs/core/LocationJobsClient`, real codec and retry) over
 * the double: `LocationJobs` + `Faults` + `JobsControl`. Region `us-east-1` unless
 * `client` says otherwise; the host is never looked at.
 */
export const layerLocationJobs = (
  options: Options & { readonly client?: LocationJobsClient.ClientOptions } = {}
): Layer.Layer<LocationJobs | Faults | JobsControl, LocationJobsClientError> =>
  Layer.provideMerge(
    LocationJobsClient.layer({ region: "us-east-1", ...options.client }),
    layer(options)
  )
