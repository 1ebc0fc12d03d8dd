import { describe, expect, it } from "@effect/vitest"
import * as Output from "../src/Output.js"

const renderAsync = (options: Output.Options, response: unknown) => Output.render(options, response)

const job = {
  Status: "Pending",
  JobId: "j1",
  JobArn: "arn:aws:geo:us-east-1:000000000000:job/j1",
  CreatedAt: new Date("2024-01-01T00:00:00.250Z")
}

describe("Output", () => {
  it("json: the model's member order, v2 timestamps, 4-space indent, undefined members dropped", async () => {
    expect(await renderAsync({ format: "json", operation: "StartJob" }, { ...job, EndedAt: undefined })).toBe(
      "{\n    \"CreatedAt\": \"2024-01-01T00:00:00.250000+00:00\",\n    \"JobArn\": \"arn:aws:geo:us-east-1:000000000000:job/j1\",\n    \"JobId\": \"j1\",\n    \"Status\": \"Pending\"\n}\n"
    )
  })

  it("timestamps: whole seconds have no fraction, as Python's isoformat", () => {
    expect(Output.timestamp(new Date("2024-01-01T00:00:00Z"))).toBe("2024-01-01T00:00:00+00:00")
  })

  it("text: sorted tab-separated scalars, nested members on prefixed lines, missing columns empty", () => {
    expect(Output.text(Output.toPlain({
      Entries: [
        { JobId: "a", Status: "Running", InputOptions: { Format: "Parquet", Location: "s3://b" } },
        { JobId: "b", Name: "n", Status: "Failed" }
      ]
    }))).toBe("ENTRIES\ta\t\tRunning\nINPUTOPTIONS\tParquet\ts3://b\nENTRIES\tb\tn\tFailed\n")
    expect(Output.text(Output.toPlain(job))).toBe(
      "2024-01-01T00:00:00.250000+00:00\tarn:aws:geo:us-east-1:000000000000:job/j1\tj1\tPending\n"
    )
  })

  it("table: a titled box, nested members in indented sections (as the AWS CLI's formatter lays it out)", () => {
    expect(Output.table("GetJob", Output.toPlain({ JobId: "j1", InputOptions: { Format: "Parquet" } }))).toBe(
      [
        "-------------------------",
        "|        GetJob         |",
        "+-------------+---------+",
        "|  JobId      |  j1     |",
        "+-------------+---------+",
        "||    InputOptions     ||",
        "|+---------+-----------+|",
        "||  Format |  Parquet  ||",
        "|+---------+-----------+|",
        ""
      ].join("\n")
    )
  })

  it("query: applied after ordering, before formatting", async () => {
    expect(await renderAsync({ format: "text", operation: "StartJob", query: "[JobId, Status]" }, job)).toBe("j1\tPending\n")
    expect(await renderAsync({ format: "json", operation: "StartJob", query: "Missing" }, job)).toBe("null\n")
  })

  it("yaml: keys sorted, timestamps quoted, lists not indented", async () => {
    expect(await renderAsync({ format: "yaml", operation: "GetJob" }, { JobId: "j1", Error: { Messages: ["m"], Code: "c" }, CreatedAt: job.CreatedAt }))
      .toBe("CreatedAt: '2024-01-01T00:00:00.250000+00:00'\nError:\n  Code: c\n  Messages:\n  - m\nJobId: j1\n")
  })

  it("an empty object prints nothing", async () => {
    expect(await renderAsync({ format: "json", operation: "GetJob" }, {})).toBe("")
    expect(await renderAsync({ format: "table", operation: "GetJob" }, {})).toBe("")
  })
})
