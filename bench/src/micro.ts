/**
 * Micro-benchmark of the client's pieces in one process, over a fake undici dispatcher that answers
 * at once (no network): µs of CPU per call for the whole client and for each layer of it. A tool for
 * profiling, not part of `pnpm bench`:  pnpm exec tsx bench/src/micro.ts [calls]
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as LocationJobs from "@geojobs/core/LocationJobs"
import * as LocationJobsClient from "@geojobs/core/LocationJobsClient"
import * as Retry from "@geojobs/core/Retry"
import * as Duration from "effect/Duration"
import * as NodeLocationJobs from "@geojobs/node/NodeLocationJobs"
import * as UndiciHttpClient from "@geojobs/node/UndiciHttpClient"
import * as AwsCredentials from "@geojobs/sigv4/AwsCredentials"
import * as SigV4 from "@geojobs/sigv4/SigV4"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import { credentials, startJobInput } from "./percall/harness.js"

const N = Number(process.argv[2] ?? 20000)
const answer = Buffer.from(JSON.stringify({
  CreatedAt: "2026-11-25T12:00:00Z",
  JobArn: "arn:aws:geo:us-east-1:123456789012:job/j-1",
  JobId: "j-1",
  Status: "Pending"
}))
type Dispatcher = Parameters<typeof UndiciHttpClient.make>[0]
type Handler = Parameters<Dispatcher["dispatch"]>[1]
const rawHeaders = [Buffer.from("content-type"), Buffer.from("application/json"), Buffer.from("x-amzn-requestid"), Buffer.from("r-1")]

/** Answers every request on the next macrotask, as a socket would. */
const fake = {
  dispatch(_opts: unknown, handler: Handler) {
    setImmediate(() => {
      handler.onConnect?.(() => {})
      handler.onHeaders?.(200, rawHeaders, () => {}, "OK")
      handler.onData?.(answer)
      handler.onComplete?.([])
    })
    return true
  }
} as unknown as Dispatcher

const measure = async (label: string, once: () => Promise<unknown>) => {
  for (let i = 0; i < 3000; i++) await once()
  const cpu0 = process.cpuUsage()
  for (let i = 0; i < N; i++) await once()
  const cpu = process.cpuUsage(cpu0)
  console.log(`${label.padEnd(48)} ${((cpu.user + cpu.system) / N).toFixed(1).padStart(7)} µs/call`)
}

const transport = UndiciHttpClient.make(fake)
const url = "http://127.0.0.1:1/metadata/v0/jobs"
const rt0 = ManagedRuntime.make(Layer.empty)
await measure("setImmediate alone", () => new Promise((r) => setImmediate(r)))
await measure("runPromise(async setImmediate)", () => rt0.runPromise(Effect.async<void>((resume) => void setImmediate(() => resume(Effect.void)))))
await measure("transport.execute (lean) + text", () => rt0.runPromise(Effect.flatMap(transport.execute(HttpClientRequest.get(url)), (r) => r.text)))
const quiet = HttpClient.withTracerDisabledWhen(transport, () => true)
await measure("transport tracer disabled + text", () => rt0.runPromise(Effect.flatMap(quiet.execute(HttpClientRequest.get(url)), (r) => r.text)))
const sign = SigV4.make({ region: "us-east-1", service: "geo", sha256: NodeLocationJobs.NodeSha256, credentials: Effect.runSync(Effect.cached(AwsCredentials.makeCredentials(credentials))) })
const signed = sign(quiet)
await measure("signed GET + text", () => rt0.runPromise(Effect.flatMap(signed.execute(HttpClientRequest.get(url)), (r) => r.text)))
await measure("signed POST + text", () => rt0.runPromise(Effect.flatMap(signed.execute(HttpClientRequest.post(url).pipe(HttpClientRequest.bodyText(answer.toString(), "application/json"))), (r) => r.text)))
await measure("timeoutFail around setImmediate", () => rt0.runPromise(Effect.timeoutFail(Effect.async<void>((resume) => void setImmediate(() => resume(Effect.void))), { duration: "30 seconds", onTimeout: () => "t" })))
await measure("Retry.timeoutFail around setImmediate", () => rt0.runPromise(Retry.timeoutFail(Effect.async<void>((resume) => void setImmediate(() => resume(Effect.void))), Duration.seconds(30), () => "t")))
await measure("withSpan around setImmediate", () => rt0.runPromise(Effect.withSpan(Effect.async<void>((resume) => void setImmediate(() => resume(Effect.void))), "x", { captureStackTrace: false })))
const client = ManagedRuntime.make(LocationJobsClient.layer({ region: "us-east-1" }).pipe(
  Layer.provide(Layer.succeed(HttpClient.HttpClient, signed))
))
await measure("full client StartJob", () => client.runPromise(LocationJobs.startJob(startJobInput)))
// As NodeLocationJobs builds it: the lean transport times attempts and stays untraced without a tracer.
const leanSigned = sign(UndiciHttpClient.make(fake, { requestTimeout: 30_000, spansOnlyWithTracer: true }))
const leanClient = ManagedRuntime.make(LocationJobsClient.layer({
  region: "us-east-1",
  attemptTimeoutByTransport: true,
  transportUntracedWithoutTracer: true
}).pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, leanSigned))))
await measure("full client StartJob, as NodeLocationJobs", () => leanClient.runPromise(LocationJobs.startJob(startJobInput)))
await measure("full client StartJob", () => client.runPromise(LocationJobs.startJob(startJobInput)))
await measure("full client StartJob, as NodeLocationJobs", () => leanClient.runPromise(LocationJobs.startJob(startJobInput)))

process.exit(0)
