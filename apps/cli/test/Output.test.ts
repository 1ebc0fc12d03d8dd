import { describe, expect, it } from "@effect/vitest"
import * as Output from "../src/Output.js"

const job = {
  JobArn: "arn:aws:geo:us-east-1:000000000000:job/j1",
  JobId: "j1",
  Status: "Pending",
  CreatedAt: new Date("2024-01-01T00:00:00Z")
}

describe("Output", () => {
  it("json: 4-space indent, ISO timestamps, undefined members dropped", () => {
    expect(Output.json({ ...job, EndedAt: undefined })).toBe(
      "{\n    \"JobArn\": \"arn:aws:geo:us-east-1:000000000000:job/j1\",\n    \"JobId\": \"j1\",\n    \"Status\": \"Pending\",\n    \"CreatedAt\": \"2024-01-01T00:00:00.000Z\"\n}"
    )
  })

  it("text: sorted tab-separated scalars, nested members on prefixed lines", () => {
    expect(Output.text({ Entries: [{ JobId: "a", Status: "Running", InputOptions: { Format: "Parquet", Location: "s3://b" } }] }))
      .toBe("ENTRIES\ta\tRunning\nINPUTOPTIONS\tParquet\ts3://b")
    expect(Output.text(job)).toBe("2024-01-01T00:00:00.000Z\tarn:aws:geo:us-east-1:000000000000:job/j1\tj1\tPending")
  })

  it("table: a titled box of key/value rows, nested members in their own boxes", () => {
    const t = Output.table("GetJob", { JobId: "j1", InputOptions: { Format: "Parquet" } })
    const lines = t.split("\n")
    expect(lines[1]).toMatch(/^\|\s+GetJob\s+\|$/)
    expect(t).toContain("|  JobId  |  j1")
    expect(t).toMatch(/\|\s+InputOptions\s+\|/)
    expect(new Set(lines.filter((l) => l.startsWith("|") || l.startsWith("+")).slice(0, 4).map((l) => l.length)).size).toBe(1)
  })
})
