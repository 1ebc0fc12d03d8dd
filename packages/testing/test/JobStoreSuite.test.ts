import * as JobStore from "@geojobs/service/JobStore"
import { jobStoreSuite } from "../src/JobStoreSuite.js"

jobStoreSuite("JobStore contract: memory", JobStore.makeMemory)
