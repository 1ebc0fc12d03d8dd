import * as HttpDouble from "../src/HttpDouble.js"
import { contractSuite } from "../src/ContractSuite.js"
import * as MemoryLocationJobs from "../src/MemoryLocationJobs.js"

contractSuite("contract: MemoryLocationJobs", MemoryLocationJobs.layer())
contractSuite("contract: core client over HttpDouble", HttpDouble.layerLocationJobs())
