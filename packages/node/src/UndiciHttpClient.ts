/**
 * A lean `HttpClient` for Node, made with the public `HttpClient.make` over an undici `Agent`
 * (keep-alive connection pools per origin). Unlike `NodeHttpClient.layerUndici` it reads each
 * answer whole into one buffer while it arrives (undici's dispatch handler: no `Readable`, no web
 * `Response`), and answers a small response object over that buffer. Made for small JSON APIs such
 * as the Jobs API; answers are held in memory, so do not use it to download large files.
 *
 * Errors: a failure to connect or send, or a connection lost before the whole answer came, is a
 * `RequestError` with reason `Transport`; an invalid URL is `InvalidUrl`. Time limits are left to
 * the caller (`Effect.timeout`); interrupting a call aborts its request.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { Dispatcher } from "undici"
import { type ClientSettings, makeClient } from "./internal/buffered.js"
import { type AgentSettings, newAgent } from "./internal/undiciAgent.js"
import { makeSend } from "./internal/undiciSend.js"

export { type ClientSettings, RequestTimeout } from "./internal/buffered.js"

/** Settings of the agent `layer` makes (`keepAliveTimeout` default 4 s, `connections` no limit, `connectTimeout` 10 s), and of the client. */
export interface AgentOptions extends ClientSettings, AgentSettings {}

export { makeSend, newAgent }

/**
 * The `HttpClient` over a given undici dispatcher (an `Agent`, a `Pool`, a `MockAgent`, …).
 *
 * With tracing on for a request, it is exactly `HttpClient.make` over this transport (the
 * platform's client span, trace propagation headers). With tracing off (`withTracerDisabledWhen`,
 * or no tracer wanted, as the Jobs client does by default) it skips what a streamed body needs and a
 * buffered one does not — an `AbortController`, a `FinalizationRegistry` entry and a wrapping
 * response per request — since the whole answer is already read when the response is handed out.
 */
export const make = (dispatcher: Dispatcher, settings: ClientSettings = {}): HttpClient.HttpClient =>
  makeClient(makeSend(dispatcher), settings, "UndiciHttpClient")

/** A keep-alive undici `Agent`, closed when the scope ends. */
export const makeAgent = (options: AgentOptions = {}) =>
  Effect.acquireRelease(
    Effect.sync(() => newAgent(options)),
    (agent) => Effect.promise(() => agent.destroy())
  )

/** The lean client over its own keep-alive agent (closed with the layer). */
export const layerWith = (options: AgentOptions = {}): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(HttpClient.HttpClient, Effect.map(makeAgent(options), (agent) => make(agent, options)))

/** The lean client over its own keep-alive agent with the default settings. */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith()
