/**
 * `JobsControl` for the local service (runner in manual mode): lifecycle moves through the
 * service's own driver and store, calls from its request log. What the contract suite needs.
 */
import { driverControls, JobsControl, type RecordedCall } from "@geojobs/testing/JobsControl"
import * as NodeLocationJobs from "@geojobs/node/NodeLocationJobs"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as LocalService from "../../src/LocalService.js"

export const controlLayer: Layer.Layer<JobsControl, never, LocalService.LocalService> = Layer.effect(
  JobsControl,
  Effect.map(LocalService.LocalService, (service) => {
    let since = 0
    return JobsControl.of({
      ...driverControls(service.store, service.driver),
      setAutoProgress: () => Effect.logWarning("the local service runs jobs for real: auto-progress is not available"),
      calls: Effect.sync(() =>
        service.requestLog.entries(since).filter((e) => e.api === "jobs").map((e): RecordedCall => ({
          operation: e.operation as RecordedCall["operation"],
          input: undefined,
          result: e.status < 300
            ? { _tag: "Success", value: undefined }
            : { _tag: "Failure", error: { _tag: `HTTP ${e.status}`, message: e.requestId } },
          at: e.at
        }))
      ),
      clearCalls: Effect.sync(() => {
        since = Date.now()
      })
    })
  })
)

/** The Node client configured for the running local service. */
export const clientLayer = Layer.unwrapEffect(
  Effect.map(LocalService.LocalService, (service) =>
    NodeLocationJobs.layer({
      region: service.region,
      endpoint: service.url,
      disableHostPrefix: true,
      ...(service.credentials ? { credentials: service.credentials } : {})
    }))
)
