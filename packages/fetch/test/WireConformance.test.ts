// The fetch client under Node's global fetch, held to the same wire conformance as the Node client.
import { conformanceSuite } from "../../node/test/support/conformance.js"
import * as FetchLocationJobs from "../src/FetchLocationJobs.js"

conformanceSuite("@geojobs/fetch", (options) => FetchLocationJobs.layer(options))
