/**
 * Runs a program's main effect the way a command-line program should end: on a failure, one
 * line naming the error (`LocationJobsClientError: No region: pass region, …`) and, when there
 * is one, a second line with its cause — not a fiber dump — and exit code 1. Ctrl-C and SIGTERM
 * interrupt the program (finalizers run), as `NodeRuntime.runMain` does, which this wraps.
 *
 * ```ts
 * import * as NodeMain from "@geojobs/node/NodeMain"
 * NodeMain.runMain(Effect.provide(program, NodeLocationJobs.layerConfig()))
 * ```
 *
 * A defect (a bug: a thrown exception, `Effect.die`) is still printed whole, with its stack,
 * because that is what whoever fixes it needs.
 *
 * @since 0.2.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

const messageOf = (u: unknown): string | undefined => {
  if (typeof u !== "object" || u === null) return u === undefined ? undefined : String(u)
  const message = (u as { message?: unknown }).message
  return typeof message === "string" && message !== "" ? message : undefined
}

const nameOf = (u: unknown): string => {
  if (typeof u !== "object" || u === null) return "Error"
  const tag = (u as { _tag?: unknown })._tag
  if (typeof tag === "string") return tag
  const name = (u as { name?: unknown }).name
  return typeof name === "string" ? name : "Error"
}

/**
 * The lines a failure is reported with: `Name: message`, then `  caused by: …` when the error
 * carries a cause with a message of its own. Undefined for an interruption (nothing to say).
 */
export const describeFailure = <E>(cause: Cause.Cause<E>): string | undefined => {
  if (Cause.isInterruptedOnly(cause)) return undefined
  return Option.match(Cause.failureOption(cause), {
    onNone: () => Cause.pretty(cause),
    onSome: (error) => {
      const first = `${nameOf(error)}: ${messageOf(error) ?? "(no message)"}`
      const inner = (error as { cause?: unknown } | null)?.cause
      const innerMessage = inner === undefined ? undefined : messageOf(inner)
      return innerMessage !== undefined && innerMessage !== messageOf(error)
        ? `${first}\n  caused by: ${nameOf(inner)}: ${innerMessage}`
        : first
    }
  })
}

/** Runs `effect` as the program's main fiber; see the module doc. */
export const runMain = <A, E>(effect: Effect.Effect<A, E>, options: { readonly name?: string | undefined } = {}): void =>
  NodeRuntime.runMain(
    effect.pipe(
      Effect.tapErrorCause((cause) =>
        Effect.sync(() => {
          const text = describeFailure(cause)
          if (text !== undefined) process.stderr.write(`${options.name !== undefined ? `${options.name}: ` : ""}${text}\n`)
        })
      )
    ),
    { disableErrorReporting: true }
  )
