/**
 * The lean `HttpClient` that starts on `node:http` and moves to undici: the first `switchAfter`
 * requests (default 64) go through `NodeHttpTransport`'s keep-alive agents, the later ones through
 * `UndiciHttpClient`'s undici `Agent`, loaded in the background once that many were sent.
 *
 * Why: undici parses HTTP with llhttp compiled to WebAssembly. Its first connection compiles that
 * module, and V8 then optimises the hot parser on a background thread, which a process ending
 * soon after has to wait for: a short-lived process (a CLI call, a function invocation) pays it
 * at exit. `node:http` parses natively, so short runs pay nothing; long runs get undici's lower
 * CPU per call after the first requests (the per-call section of `pnpm bench` compares them).
 *
 * Answers, errors, time limits and tracing are those of the two lean transports (same settings;
 * see `NodeHttpTransport` and `UndiciHttpClient`). Requests already sent over `node:http` finish
 * there; its idle connections close after `keepAliveTimeout`.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { makeClient, type Send } from "./internal/buffered.js"
import type { AgentSettings as UndiciAgentSettings } from "./internal/undiciAgent.js"
import { makeSend as undiciMakeSend } from "./internal/undiciSend.js"
import * as NodeHttpTransport from "./NodeHttpTransport.js"

export { type ClientSettings, RequestTimeout } from "./internal/buffered.js"

/** Settings of the agents and of the client. */
export interface AgentOptions extends NodeHttpTransport.AgentOptions, UndiciAgentSettings {
  /**
   * Requests sent over `node:http` before moving to undici. Default 64; `0` starts on undici
   * (`layerWith` waits for it to load; with `make`, requests go over `node:http` until `moved`
   * resolves); `Infinity` never moves.
   */
  readonly switchAfter?: number | undefined
}

/** A client and what closes its agents. */
export interface AutoClient {
  readonly client: HttpClient.HttpClient
  /** Closes both agents (and stops a move to undici still loading). */
  readonly close: () => Promise<void>
  /**
   * Resolves once requests go over undici (true), or once that is known not to happen (false:
   * `switchAfter` is `Infinity`, undici could not be loaded, or the client was closed first); pending
   * until `switchAfter` requests were sent.
   */
  readonly moved: () => Promise<boolean>
}

/**
 * The client over its own agents: `node:http` ones made now, the undici `Agent` once
 * `switchAfter` requests were sent. Call `close` when done (`layerWith` does).
 */
export const make = (options: AgentOptions = {}): AutoClient => {
  const switchAfter = options.switchAfter ?? 64
  if (!(switchAfter >= 0)) throw new RangeError(`AutoHttpTransport: switchAfter must be ≥ 0, got ${switchAfter}`)
  const agents = NodeHttpTransport.newAgents(options)
  const nodeSend = NodeHttpTransport.makeSend(agents)
  let undiciSend: Send | undefined
  let undiciAgent: { destroy(): Promise<void> } | undefined
  let loading: Promise<boolean> | undefined
  let closed = false
  let sent = 0
  const load = () => {
    // undici's Agent module alone, loaded now (a bundler keeps it in the lazy part of the program)
    loading = import("./internal/undiciAgent.js").then(
      (module) => {
        if (closed) return false
        const agent = module.newAgent(options)
        undiciAgent = agent
        undiciSend = undiciMakeSend(agent)
        return true
      },
      // undici could not be loaded: stay on node:http
      () => false
    )
  }
  const send: Send = (request, url, bytes, contentType, timeoutMs) => {
    if (undiciSend !== undefined) return undiciSend(request, url, bytes, contentType, timeoutMs)
    if (loading === undefined && ++sent >= switchAfter) load()
    return nodeSend(request, url, bytes, contentType, timeoutMs)
  }
  if (switchAfter === 0) load()
  const client = makeClient(send, options, "AutoHttpTransport")
  return {
    client,
    close: async () => {
      closed = true
      agents.http.destroy()
      agents.https.destroy()
      await undiciAgent?.destroy()
    },
    moved: () => loading ?? (switchAfter === Infinity ? Promise.resolve(false) : new Promise<boolean>(() => {}))
  }
}

/** The client over its own agents, closed with the layer. */
export const layerWith = (options: AgentOptions = {}): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(
    HttpClient.HttpClient,
    Effect.flatMap(
      Effect.acquireRelease(Effect.sync(() => make(options)), (auto) => Effect.promise(auto.close)),
      (auto) => options.switchAfter === 0 ? Effect.as(Effect.promise(auto.moved), auto.client) : Effect.succeed(auto.client)
    )
  )

/** The client over its own agents with the default settings. */
export const layer: Layer.Layer<HttpClient.HttpClient> = layerWith()
