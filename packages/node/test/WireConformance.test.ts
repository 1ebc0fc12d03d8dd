import * as NodeLocationJobs from "../src/NodeLocationJobs.js"
import { conformanceSuite } from "./support/conformance.js"

conformanceSuite("@geojobs/node", (options) => NodeLocationJobs.layer(options))
