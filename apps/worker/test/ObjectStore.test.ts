/** The worker's S3 side against the local service's S3. */
import { describe, expect, it } from "@effect/vitest"
import * as LocalService from "@geojobs/local/LocalService"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as ObjectStore from "../src/ObjectStore.js"

describe("ObjectStore", () => {
  it.live("ensureBucket from several tasks at once on a new bucket: every one succeeds", () =>
    Effect.gen(function*() {
      const dataDir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-worker-objects-"))
      const local = yield* LocalService.make({ port: 0, dataDir, runner: "manual" })
      const store = yield* ObjectStore.make({ region: local.region, endpoint: local.url, credentials: local.credentials })
      // Upload tasks run concurrently; all but one lose the CreateBucket race to a bucket
      // that is theirs already (S3 answers BucketAlreadyOwnedByYou outside us-east-1, and so
      // does the local service).
      const outcomes = yield* Effect.forEach(Array.from({ length: 6 }), () => Effect.either(store.ensureBucket("race")), {
        concurrency: "unbounded"
      })
      expect(outcomes.filter((o) => o._tag === "Left")).toEqual([])
      yield* store.ensureBucket("race")
    }).pipe(Effect.scoped), { timeout: 60_000 })
})
