// The contract suite of @geojobs/testing, unchanged, against the local service through our Node client.
import { contractSuite } from "@geojobs/testing/ContractSuite"
import { jobStoreSuite } from "@geojobs/testing/JobStoreSuite"
import { JobStore } from "@geojobs/service/JobStore"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as LocalService from "../src/LocalService.js"
import * as SqlJobStore from "../src/SqlJobStore.js"
import { clientLayer, controlLayer } from "./support/localControl.js"

const local = LocalService.layer({
  port: 0,
  dataDir: Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-contract-")),
  runner: "manual"
})

contractSuite("local service (Node client, SigV4, HTTP)", Layer.merge(clientLayer, controlLayer).pipe(Layer.provide(local)), {
  testClock: false,
  timeout: "120 seconds"
})

// The JobStore contract, against the SQLite store (a fresh database per test).
jobStoreSuite(
  "SqlJobStore",
  Effect.suspend(() =>
    Effect.map(
      Layer.build(SqlJobStore.layer(Path.join(Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-store-")), "jobs.sqlite"))),
      (context) => Context.get(context, JobStore)
    )
  )
)
