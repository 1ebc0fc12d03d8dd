/**
 * The loopback Jobs API of the per-call and cold-start benchmarks, run as its own process so the
 * client's CPU is measured alone: canned JSON for StartJob (POST /metadata/v0/jobs) and GetJob
 * (GET /metadata/v0/jobs/{id}), keep-alive, no signature check. Prints `PORT <n>` when ready.
 * `GET /__stats` answers the number of TCP connections accepted so far (keep-alive check).
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"

const startAnswer = Buffer.from(JSON.stringify({
  CreatedAt: "2026-11-25T12:00:00Z",
  JobArn: "arn:aws:geo:us-east-1:123456789012:job/MyFirstValidationJob-12345678-abcd",
  JobId: "MyFirstValidationJob-12345678-abcd",
  Status: "Pending"
}))

const getAnswer = Buffer.from(JSON.stringify({
  Action: "ValidateAddress",
  ActionOptions: { ValidateAddress: { AdditionalFeatures: ["Position"] } },
  CreatedAt: "2026-11-25T12:00:00Z",
  ExecutionRoleArn: "arn:aws:iam::123456789012:role/LocationServiceJobExecutionRole",
  InputOptions: { Location: "arn:aws:s3:::my-input", Format: "Parquet" },
  OutputOptions: { Location: "s3://my-output/results/", Format: "Parquet" },
  JobArn: "arn:aws:geo:us-east-1:123456789012:job/MyFirstValidationJob-12345678-abcd",
  JobId: "MyFirstValidationJob-12345678-abcd",
  Name: "MyFirstValidationJob",
  Status: "Running",
  UpdatedAt: "2026-11-25T12:00:05Z"
}))

let connections = 0
let requests = 0

const server = http.createServer({ keepAlive: true, keepAliveTimeout: 120_000 }, (req, res) => {
  requests++
  req.on("data", () => {})
  req.on("end", () => {
    if (req.url === "/__stats") {
      res.writeHead(200, { "content-type": "application/json", connection: "close" })
      res.end(JSON.stringify({ connections, requests }))
      return
    }
    const body = req.method === "POST" ? startAnswer : getAnswer
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": body.length,
      "x-amzn-requestid": "5d8c3b7e-1f0a-4a4e-9a44-6f7c1c2a9e10"
    })
    res.end(body)
  })
})
server.keepAliveTimeout = 120_000
server.headersTimeout = 130_000
server.maxRequestsPerSocket = 0
server.on("connection", () => {
  connections++
})
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`)
})
process.on("SIGTERM", () => server.close(() => process.exit(0)))
process.stdin.on("end", () => process.exit(0))
process.stdin.resume()
