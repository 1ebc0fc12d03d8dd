// The fetch client under Node's global fetch, held to the same wire conformance as the Node client.
import { conformanceSuite } from "@geojobs/test-support/WireConformance"
import * as FetchLocationJobs from "../src/FetchLocationJobs.js"

conformanceSuite("@geojobs/fetch", (options) => FetchLocationJobs.layer(options))
