/**
 * A scripted `HttpClient` for core tests: answers each request with the next scripted reply
 * (a response, a transport failure, or a reply computed from the request) and records what
 * was sent.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as TestFixtures from "../../src/TestFixtures.js"

export interface Sent {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string | undefined
  /** Clock time (ms) when the request was sent: TestClock time under `it.effect`. */
  readonly at: number
}

export type Reply =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  | { readonly transportError: string }
  | { readonly hang: true }
  | ((sent: Sent) => Reply)

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { "content-type": "application/json", "x-amzn-requestid": `req-${status}`, ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body)
})

export const awsError = (status: number, code: string, body: Record<string, unknown> = {}): Reply =>
  json(status, { message: `${code} happened`, ...body }, { "x-amzn-errortype": `${code}:http://internal.amazon.com/coral/com.amazonaws.location/` })

const decoder = new TextDecoder()

const bodyText = (request: HttpClientRequest.HttpClientRequest): string | undefined => {
  const b = request.body
  switch (b._tag) {
    case "Uint8Array":
      return decoder.decode(b.body)
    case "Empty":
      return undefined
    default:
      return `<${b._tag}>`
  }
}

export interface Scripted {
  readonly sent: Array<Sent>
  readonly layer: Layer.Layer<HttpClient.HttpClient>
  readonly push: (...replies: Array<Reply>) => void
}

/** Makes a scripted client; when the script runs out, `fallback` answers (default: a 500). */
export const makeScripted = (replies: Array<Reply> = [], fallback?: Reply): Scripted => {
  const queue = [...replies]
  const sent: Array<Sent> = []
  const client = HttpClient.make((request, url) =>
    Effect.flatMap(Clock.currentTimeMillis, (at) => {
      const s: Sent = { method: request.method, url: url.toString(), headers: { ...request.headers }, body: bodyText(request), at }
      sent.push(s)
      let reply: Reply | undefined = queue.shift() ?? fallback ?? { status: 500, body: "script exhausted" }
      while (typeof reply === "function") reply = reply(s)
      if ("hang" in reply) return Effect.never
      if ("transportError" in reply) {
        return Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", description: reply.transportError }))
      }
      return Effect.succeed(
        HttpClientResponse.fromWeb(request, new Response(reply.body ?? "", { status: reply.status, headers: reply.headers ?? {} }))
      )
    })
  )
  return { sent, layer: Layer.succeed(HttpClient.HttpClient, client), push: (...r) => queue.push(...r) }
}

export const validStart = {
  Action: "ValidateAddress",
  ExecutionRoleArn: TestFixtures.roleArn,
  InputOptions: { Location: "arn:aws:s3:::my-input", Format: "Parquet" },
  OutputOptions: { Format: "Parquet", Location: "s3://my-output/results/" }
} as const

export const startOk = (jobId = "job-1") =>
  json(200, {
    CreatedAt: "2024-01-01T00:00:00Z",
    JobArn: `arn:aws:geo:us-east-1:123456789012:job/${jobId}`,
    JobId: jobId,
    Status: "Pending"
  })

/** A job as the service answers it, for the request `validStart`. */
export const jobBody = (jobId: string, status: string, extra: Record<string, unknown> = {}) =>
  TestFixtures.job(jobId, status, {
    InputOptions: validStart.InputOptions,
    OutputOptions: validStart.OutputOptions,
    UpdatedAt: "2024-01-01T00:05:00Z",
    ...extra
  })
