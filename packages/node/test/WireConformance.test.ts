import * as NodeLocationJobs from "../src/NodeLocationJobs.js"
import { conformanceSuite } from "@geojobs/test-support/WireConformance"

conformanceSuite("@geojobs/node", (options) => NodeLocationJobs.layer(options))
