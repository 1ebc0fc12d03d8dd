/// <reference path="./undici-agent.d.ts" />
/**
 * undici's `Agent`, made with the lean transport's defaults. The only module of this package that
 * loads undici: transports that move to undici later import it dynamically, and since it imports
 * nothing else, a bundler keeps the rest of the program (Effect included) out of its lazy part.
 *
 * @internal
 */
// undici's Agent alone: importing "undici" would load all of undici (see undici-agent.d.ts).
import Agent from "undici/lib/dispatcher/agent.js"

/** Settings of the agent. */
export interface AgentSettings {
  /** Idle time before a kept-alive connection is closed. Default 4 s (undici's default). */
  readonly keepAliveTimeout?: number | undefined
  /** Most connections per origin. Default: no limit. */
  readonly connections?: number | undefined
  /** Time to establish a connection, ms. Default 10 s. */
  readonly connectTimeout?: number | undefined
}

/** A new keep-alive undici `Agent` (`destroy()` it when done). */
export const newAgent = (options: AgentSettings = {}): Agent =>
  new Agent({
    keepAliveTimeout: options.keepAliveTimeout ?? 4_000,
    ...(options.connections === undefined ? {} : { connections: options.connections }),
    connectTimeout: options.connectTimeout ?? 10_000
  })
