/**
 * Per-call program, the floor: no client features. The same body our client sends, signed with
 * `@smithy/signature-v4` (node:crypto SHA-256, one signer) and sent with `node:http` over a
 * keep-alive agent; the answer is read and `JSON.parse`d. Nothing is validated or retried.
 */
import { Hash } from "@smithy/hash-node"
import { SignatureV4 } from "@smithy/signature-v4"
import * as http from "node:http"
import { credentials, getJobInput, inParallel, main, startJobInput } from "./harness.js"

void main(async (port) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 })
  const signer = new SignatureV4({ credentials, region: "us-east-1", service: "geo", sha256: Hash.bind(null, "sha256") as never })
  const host = `127.0.0.1:${port}`
  const send = async (method: "GET" | "POST", path: string, body: string | undefined) => {
    const headers: Record<string, string> = { host }
    if (body !== undefined) {
      headers["content-type"] = "application/json"
      headers["content-length"] = String(Buffer.byteLength(body))
    }
    const signed = await signer.sign({ method, protocol: "http:", hostname: "127.0.0.1", port, path, query: {}, headers, body })
    return new Promise<unknown>((resolve, reject) => {
      const req = http.request({ agent, host: "127.0.0.1", port, method, path, headers: signed.headers }, (res) => {
        const chunks: Array<Buffer> = []
        res.on("data", (c: Buffer) => chunks.push(c))
        res.on("end", () => resolve(JSON.parse(Buffer.concat(chunks).toString("utf8"))))
        res.on("error", reject)
      })
      req.on("error", reject)
      req.end(body)
    })
  }
  const i = startJobInput
  const calls = {
    StartJob: () =>
      send("POST", "/metadata/v0/jobs", JSON.stringify({
        Action: i.Action,
        ExecutionRoleArn: i.ExecutionRoleArn,
        InputOptions: { Location: i.InputOptions.Location, Format: i.InputOptions.Format },
        OutputOptions: { Format: i.OutputOptions.Format, Location: i.OutputOptions.Location },
        ClientToken: crypto.randomUUID(),
        ActionOptions: { ValidateAddress: { AdditionalFeatures: [...i.ActionOptions.ValidateAddress.AdditionalFeatures] } },
        Name: i.Name
      })),
    GetJob: () => send("GET", `/metadata/v0/jobs/${encodeURIComponent(getJobInput.JobId)}`, undefined)
  }
  return { run: (op, n, concurrency) => inParallel(n, concurrency, calls[op]) }
})
