/**
 * A new user's first run: no AWS keys in the environment, a fresh local service on this
 * machine, and an `s3://` batch first. The worker signs with the emulators' test key (as the
 * CLI does) and makes its output bucket, so the batch completes.
 */
import { describe, expect, it } from "@effect/vitest"
import * as NodeFile from "@geojobs/dataset/NodeFile"
import * as LocalService from "@geojobs/local/LocalService"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Client from "../src/Client.js"
import * as ObjectStore from "../src/ObjectStore.js"
import { spawnWorker, stopGracefully, writeCsvFiles } from "./support/Fixtures.js"

describe("worker first run", () => {
  it.live("no keys in the environment, a fresh local service, an s3:// batch first: Completed", () =>
    Effect.scoped(Effect.gen(function*() {
      const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-worker-first-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true })))
      const local = yield* LocalService.make({ port: 0, dataDir: Path.join(dir, "local"), runnerOptions: { pollInterval: "100 millis" } })
      // the input, already Parquet in S3 (the worker's own bucket does not exist yet)
      const [csv] = writeCsvFiles(Path.join(dir, "files"), 1, 3)
      const parquet = Path.join(dir, "input.parquet")
      yield* NodeFile.convert(csv!, parquet)
      const store = yield* ObjectStore.make({ region: local.region, endpoint: local.url, credentials: local.credentials })
      yield* store.ensureBucket("inputs")
      yield* store.putFile("inputs", "first/input.parquet", parquet)

      const worker = yield* Effect.acquireRelease(
        Effect.promise(() =>
          spawnWorker(
            ["--endpoint-url", local.url, "--work-dir", Path.join(dir, "work"), "--poll", "200", "--track-interval", "300"],
            { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_SESSION_TOKEN: "", AWS_PROFILE: "", HOME: dir }
          )
        ),
        (w) => Effect.promise(() => stopGracefully(w.child))
      )
      const client = Client.make(worker.url, { token: worker.token })
      const { batch } = yield* client.submit({ location: "s3://inputs/first/" })
      let seen = batch
      for (let i = 0; i < 150 && !["Completed", "Failed", "Cancelled"].includes(seen.state); i++) {
        yield* Effect.sleep("200 millis")
        seen = yield* client.get(batch.id)
      }
      expect(worker.output()).not.toMatch(/Could not load credentials/)
      expect([seen.state, seen.error]).toEqual(["Completed", undefined])
      expect(seen.outputRows).toBe(3)
    })), 120_000)
})
