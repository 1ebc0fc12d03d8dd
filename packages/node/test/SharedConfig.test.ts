/**
 * `layerConfig` and `NodeMicroLocationJobs.fromConfig` read the shared config file as the AWS SDK
 * v3 does (`AWS_CONFIG_FILE` or `~/.aws/config`, the `AWS_PROFILE` profile, `[profile name]`
 * sections, a `services` section's `location` endpoint) and the environment's retry settings:
 * the environment beats the file, explicit options beat both. Observed on the wire: the endpoint
 * reached, the Region in the credential scope, `max=` in `amz-sdk-request`.
 */
import * as LocationJobs from "@geojobs/core/LocationJobs"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Micro from "effect/Micro"
import * as Fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as Os from "node:os"
import * as Path from "node:path"
import * as NodeLocationJobs from "../src/NodeLocationJobs.js"
import * as NodeMicroLocationJobs from "../src/NodeMicroLocationJobs.js"

interface Seen {
  readonly region: string | undefined
  readonly maxAttempts: string | undefined
}

const seen: Array<Seen> = []
const server = http.createServer((req, res) => {
  req.resume()
  req.on("end", () => {
    const scope = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(req.headers.authorization))
    const max = /max=(\d+)/.exec(String(req.headers["amz-sdk-request"]))
    seen.push({ region: scope?.[1], maxAttempts: max?.[1] })
    res.writeHead(200, { "content-type": "application/json", "x-amzn-requestid": "r-1" })
    res.end(JSON.stringify({ Entries: [] }))
  })
})
let url = ""
const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "geojobs-shared-config-"))
beforeAll(() =>
  new Promise<void>((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      resolve()
    })
  )
)
afterAll(() => {
  Fs.rmSync(dir, { recursive: true, force: true })
  server.closeAllConnections()
  return new Promise<void>((resolve) => server.close(() => resolve()))
})

let files = 0
/** Writes a config file and returns its path. */
const configFile = (text: string): string => {
  const file = Path.join(dir, `config-${++files}`)
  Fs.writeFileSync(file, text)
  return file
}

const credentials = { accessKeyId: "AKID", secretAccessKey: "s" }

/** What the Effect client's `layerConfig` sent, under `env` as its `Config`. */
const effectClient = (env: Record<string, string>, options: NodeLocationJobs.NodeLocationJobsOptions = {}) =>
  Effect.gen(function*() {
    seen.length = 0
    const layer = NodeLocationJobs.layerConfig({ credentials, ...options }).pipe(
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))))
    )
    yield* Effect.provide(LocationJobs.listJobs(), layer)
    return seen[0]
  })

/** What the Micro client made by `fromConfig` sent, with `env` as its environment. */
const microClient = async (
  env: Record<string, string>,
  options: Partial<NodeMicroLocationJobs.NodeMicroLocationJobsOptions> = {}
): Promise<Seen | undefined> => {
  seen.length = 0
  const client = await Micro.runPromise(NodeMicroLocationJobs.fromConfig({ credentials, ...options }, env))
  try {
    await Micro.runPromise(client.listJobs())
  } finally {
    client.close()
  }
  return seen[0]
}

describe("shared config file and retry environment", () => {
  const profileFile = () =>
    configFile(
      [
        "[default]",
        "region = us-west-2",
        `endpoint_url = ${url}`,
        "max_attempts = 7",
        "",
        "[profile other]",
        "region = eu-central-1",
        "services = local",
        "max_attempts = 4",
        "retry_mode = adaptive",
        "",
        "[services local]",
        "location =",
        `  endpoint_url = ${url}`,
        "s3 =",
        "  endpoint_url = http://127.0.0.1:1"
      ].join("\n")
    )

  it.effect("Effect client: the default profile's region, endpoint_url and max_attempts", () =>
    Effect.gen(function*() {
      expect(yield* effectClient({ AWS_CONFIG_FILE: profileFile() })).toEqual({ region: "us-west-2", maxAttempts: "7" })
    }))

  it.effect("Effect client: AWS_PROFILE picks a [profile name] section and its services endpoint", () =>
    Effect.gen(function*() {
      expect(yield* effectClient({ AWS_CONFIG_FILE: profileFile(), AWS_PROFILE: "other" })).toEqual({
        region: "eu-central-1",
        maxAttempts: "4"
      })
    }))

  it.effect("Effect client: ~/.aws/config under HOME when AWS_CONFIG_FILE is unset", () =>
    Effect.gen(function*() {
      const home = Path.join(dir, "home")
      Fs.mkdirSync(Path.join(home, ".aws"), { recursive: true })
      Fs.writeFileSync(Path.join(home, ".aws", "config"), `[default]\nregion = ap-south-1\nendpoint_url = ${url}\n`)
      expect(yield* effectClient({ HOME: home })).toEqual({ region: "ap-south-1", maxAttempts: "3" })
    }))

  it.effect("Effect client: the environment beats the file, options beat both", () =>
    Effect.gen(function*() {
      const env = { AWS_CONFIG_FILE: profileFile(), AWS_REGION: "ca-central-1", AWS_MAX_ATTEMPTS: "2", AWS_RETRY_MODE: "legacy" }
      expect(yield* effectClient(env)).toEqual({ region: "ca-central-1", maxAttempts: "2" })
      expect(yield* effectClient(env, { region: "sa-east-1", retry: { maxAttempts: 5 } })).toEqual({
        region: "sa-east-1",
        maxAttempts: "5"
      })
    }))

  it.effect("Effect client: a bad AWS_MAX_ATTEMPTS or retry_mode is a ConfigError naming it", () =>
    Effect.gen(function*() {
      const bad = (env: Record<string, string>) => Effect.flip(effectClient(env))
      const e1 = yield* bad({ AWS_CONFIG_FILE: profileFile(), AWS_MAX_ATTEMPTS: "0" })
      expect(String(e1)).toMatch(/AWS_MAX_ATTEMPTS must be a whole number of at least 1, got '0'/)
      const e2 = yield* bad({ AWS_CONFIG_FILE: configFile(`[default]\nregion = us-east-1\nretry_mode = fast\n`) })
      expect(String(e2)).toMatch(/retry_mode in the shared config file must be standard, adaptive or legacy/)
    }))

  it("Micro client: fromConfig reads the same file and environment", async () => {
    expect(await microClient({ AWS_CONFIG_FILE: profileFile() })).toEqual({ region: "us-west-2", maxAttempts: "7" })
    expect(await microClient({ AWS_CONFIG_FILE: profileFile(), AWS_PROFILE: "other" })).toEqual({
      region: "eu-central-1",
      maxAttempts: "4"
    })
    expect(await microClient({ AWS_CONFIG_FILE: profileFile(), AWS_MAX_ATTEMPTS: "2", AWS_DEFAULT_REGION: "eu-north-1" }))
      .toEqual({ region: "eu-north-1", maxAttempts: "2" })
    expect(await microClient({ AWS_CONFIG_FILE: profileFile() }, { region: "sa-east-1", retry: { maxAttempts: 5 } }))
      .toEqual({ region: "sa-east-1", maxAttempts: "5" })
    const exit = await Micro.runPromiseExit(
      NodeMicroLocationJobs.fromConfig({ credentials }, { AWS_CONFIG_FILE: profileFile(), AWS_RETRY_MODE: "fast" })
    )
    expect(exit._tag === "Failure" && String(exit.cause)).toMatch(/AWS_RETRY_MODE must be standard, adaptive or legacy/)
  })
})
