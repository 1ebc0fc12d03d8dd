import { describe, expect, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as LocationJobsClient from "../src/LocationJobsClient.js"
import * as Paginator from "../src/Paginator.js"
import { jobBody, json, makeScripted, type Reply, type Sent } from "./support/ScriptedHttp.js"

/** A fake ListJobs over `total` jobs that pages by MaxResults (default 7) with opaque tokens. */
const pagingServer = (total: number, opts: { repeatToken?: boolean; emptyLastToken?: boolean } = {}) => (sent: Sent): Reply => {
  const body = JSON.parse(sent.body!)
  const size = body.MaxResults ?? 7
  const start = body.NextToken ? Number(body.NextToken.slice(4)) : 0
  const ids = Array.from({ length: Math.max(0, Math.min(size, total - start)) }, (_, i) => `job-${start + i}`)
  const next = start + size < total ? `tok-${start + size}` : undefined
  return json(200, {
    Entries: ids.map((id) => jobBody(id, body.Filter?.JobStatus ?? "Running")),
    ...(opts.repeatToken && body.NextToken ? { NextToken: body.NextToken } : next ? { NextToken: next } : opts.emptyLastToken ? { NextToken: "" } : {})
  })
}

const setup = (server: (s: Sent) => Reply) => {
  const http = makeScripted([], server)
  return { http, layer: LocationJobsClient.layer({ region: "us-east-1", retry: false }).pipe(Layer.provide(http.layer)) }
}

describe("Paginator", () => {
  it.effect("listJobsStream yields every entry of every page in order, with pageSize as MaxResults", () => {
    const { http, layer } = setup(pagingServer(53))
    return Effect.gen(function*() {
      const all = yield* Stream.runCollect(Paginator.listJobsStream({ Filter: { JobStatus: "Completed" } }, { pageSize: 10 }))
      expect(Chunk.toReadonlyArray(all).map((e) => e.JobId)).toEqual(Array.from({ length: 53 }, (_, i) => `job-${i}`))
      expect(http.sent).toHaveLength(6)
      expect(http.sent.map((s) => JSON.parse(s.body!))).toEqual([
        { Filter: { JobStatus: "Completed" }, MaxResults: 10 },
        ...[10, 20, 30, 40, 50].map((n) => ({ Filter: { JobStatus: "Completed" }, MaxResults: 10, NextToken: `tok-${n}` }))
      ])
    }).pipe(Effect.provide(layer))
  })

  it.effect("listJobsPages: one element per page; an empty NextToken ends it; startingToken resumes", () => {
    const { layer } = setup(pagingServer(20, { emptyLastToken: true }))
    return Effect.gen(function*() {
      const pages = yield* Stream.runCollect(Paginator.listJobsPages({}, { pageSize: 5 }))
      expect(Chunk.size(pages)).toBe(4)
      const resumed = yield* Stream.runCollect(Paginator.listJobsStream({ MaxResults: 5 }, { startingToken: "tok-15" }))
      expect(Chunk.toReadonlyArray(resumed).map((e) => e.JobId)).toEqual(["job-15", "job-16", "job-17", "job-18", "job-19"])
    }).pipe(Effect.provide(layer))
  })

  it.effect("a service that repeats the same token cannot loop the stream forever", () => {
    const { http, layer } = setup(pagingServer(100, { repeatToken: true }))
    return Effect.gen(function*() {
      const all = yield* Stream.runCollect(Paginator.listJobsStream({}, { pageSize: 10 }))
      expect(Chunk.size(all)).toBe(20)
      expect(http.sent).toHaveLength(2)
    }).pipe(Effect.provide(layer))
  })

  it.effect("errors on a later page surface as typed errors", () => {
    let n = 0
    const { layer } = setup((s) => (++n === 2 ? json(403, { message: "denied" }, { "x-amzn-errortype": "AccessDeniedException" }) : pagingServer(30)(s)))
    return Effect.gen(function*() {
      const e = yield* Effect.flip(Stream.runCollect(Paginator.listJobsStream({}, { pageSize: 10 })))
      expect(e._tag).toBe("AccessDeniedException")
    }).pipe(Effect.provide(layer))
  })
})
