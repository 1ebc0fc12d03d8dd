/**
 * A scripted `Transport` for the Micro client's tests: answers each request with the next reply (a
 * response, a transport failure, or no answer at all, recording the abort), and records what was sent.
 */
import * as Micro from "effect/Micro"
import * as MicroLocationJobs from "../../src/MicroLocationJobs.js"
import { LocationJobsClientError } from "../../src/MicroLocationJobsError.js"
import * as TestFixtures from "../../src/TestFixtures.js"

export interface Sent {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
  readonly at: number
}

export type Answer = { readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown }
export type Reply =
  | Answer
  | { readonly transportError: string }
  | { readonly hang: true }

const decoder = new TextDecoder()

/** A transport answering each request with the next reply (the last one repeats). */
export const scripted = (replies: ReadonlyArray<Reply>) => {
  const sent: Array<Sent> = []
  const aborted: Array<boolean> = []
  const transport: MicroLocationJobs.Transport = (request) =>
    Micro.suspend(() => {
      const index = sent.length
      sent.push({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: request.body === undefined ? undefined : decoder.decode(request.body),
        at: Date.now()
      })
      const reply = replies[Math.min(index, replies.length - 1)]!
      if ("transportError" in reply) {
        return Micro.fail(new LocationJobsClientError({ reason: "Transport", message: reply.transportError }))
      }
      if ("hang" in reply) {
        return Micro.async<never>((_resume, signal) => {
          signal.addEventListener("abort", () => aborted.push(true))
        })
      }
      return Micro.succeed({
        status: reply.status,
        headers: { "x-amzn-requestid": `req-${index + 1}`, ...reply.headers },
        body: typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {})
      })
    })
  return { sent, aborted, transport }
}

export const started = { CreatedAt: "2024-01-01T00:00:00Z", JobArn: "arn:aws:geo:us-east-1:123456789012:job/j-1", JobId: "j-1", Status: "Pending" }
export const ok = (body: unknown = started): Answer => ({ status: 200, body })
export const awsError = (status: number, code: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { "x-amzn-errortype": `${code}:http://internal.amazon.com/coral/com.amazonaws.location/`, ...headers },
  body: { message: `${code} happened`, ...body }
})

/** A job as the service answers it, updated at a time with a fraction of a second. */
export const job = (id: string, status: string) => TestFixtures.job(id, status, { UpdatedAt: "2024-01-01T00:10:00.5Z" })

/** A valid StartJob input: the one the Effect client's tests send. */
export { validStart as startInput } from "./ScriptedHttp.js"

export const client = (replies: ReadonlyArray<Reply>, options: Partial<MicroLocationJobs.MicroLocationJobsOptions> = {}) => {
  const s = scripted(replies)
  const retries: Array<MicroLocationJobs.RetryEvent> = []
  const jobs = MicroLocationJobs.make({
    region: "us-east-1",
    transport: s.transport,
    retry: { baseDelayMs: 1, throttlingBaseDelayMs: 5 },
    onRetry: (e) => retries.push(e),
    ...options
  })
  return { ...s, jobs, retries }
}

export const exit = <A, E>(m: Micro.Micro<A, E>) => Micro.runPromiseExit(m)
export const failure = async <A, E>(m: Micro.Micro<A, E>): Promise<E> => {
  const e = await exit(m)
  if (e._tag !== "Failure" || e.cause._tag !== "Fail") throw new Error(`expected a failure, got ${String(e)}`)
  return e.cause.error
}

