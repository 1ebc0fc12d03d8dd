/**
 * `--help` on every command, `--version`, shell completions — in-process.
 */
import { describe, expect, it } from "@effect/vitest"
import { geojobs, tempDir } from "./Harness.js"

const cwd = tempDir()

describe("help, version, completions", () => {
  it("--version prints the package version", async () => {
    const r = await geojobs(["--version"], { cwd })
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe("0.1.0")
  })

  it.each([
    ["start-job", "--execution-role-arn"],
    ["get-job", "--job-id"],
    ["list-jobs", "--max-items"],
    ["cancel-job", "--job-id"],
    ["wait job-completed", "--timeout"],
    ["validate", "--role-arn"],
    ["local", "--data-dir"]
  ])("%s --help describes its options", async (name, option) => {
    const r = await geojobs([...name.split(" "), "--help"], { cwd })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(option)
    expect(r.stdout).toContain("--region")
    expect(r.stderr).toBe("")
  })

  it.each(["bash", "zsh", "fish"])("--completions %s prints a completion script", async (shell) => {
    const r = await geojobs(["--completions", shell], { cwd })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/geojobs/)
    expect(r.stdout).toContain("start-job")
  })
})

describe("help of the API commands", () => {
  it.each([["start-job", "help"], ["start-job", "--help"]])("%s %s marks required flags and shows constraints and examples", async (...argv) => {
    const r = await geojobs(argv, { cwd })
    expect(r.code).toBe(0)
    expect(r.stderr).toBe("")
    // Required: bare in the synopsis, marked in the options; optional: bracketed, unmarked.
    expect(r.stdout).toMatch(/^ +--action <value>$/m)
    expect(r.stdout).toMatch(/^ +\[--name <value>\]$/m)
    expect(r.stdout).toContain("--execution-role-arn (string) [required]")
    expect(r.stdout).toContain("--input-options (structure) [required]")
    expect(r.stdout).toMatch(/^ +--name \(string\)$/m)
    expect(r.stdout).toMatch(/^ +Location -> \(string\) \[required\]$/m)
    expect(r.stdout).toContain("o pattern: [-._\\w]+")
    expect(r.stdout).toContain("o max: 100")
    expect(r.stdout).toContain("Location=string,Format=string")
    expect(r.stdout).toContain("--input-options Location=arn:aws:s3:::my-input-bucket,Format=Parquet")
    expect(r.stdout).not.toContain("optional.")
  })

  it("get-job and the waiter have their own pages", async () => {
    const get = await geojobs(["get-job", "help"], { cwd })
    expect(get.stdout).toContain("--job-id (string) [required]")
    expect(get.stdout).toContain("GetJob retrieves detailed information about a specific job")
    const wait = await geojobs(["wait", "job-completed", "--help"], { cwd })
    expect(wait.stdout).toContain("--timeout (string)")
    expect(wait.stdout).toContain("geojobs wait job-completed --job-id")
    const list = await geojobs(["list-jobs", "-h"], { cwd })
    expect(list.stdout).toMatch(/^ +\[--filter <value>\]$/m)
    expect(list.stdout).toMatch(/^ +o Cancelling$/m)
  })
})

describe("--generate-cli-skeleton", () => {
  it("prints the request with values by type, as AWS CLI v2 (no value means input)", async () => {
    const r = await geojobs(["list-jobs", "--generate-cli-skeleton"], { cwd })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe("{\n    \"Filter\": {\n        \"JobStatus\": \"Pending\"\n    },\n    \"MaxResults\": 0,\n    \"NextToken\": \"\"\n}\n")
  })

  it("yaml-input: each member commented with its first sentence, [REQUIRED] and its values", async () => {
    const r = await geojobs(["list-jobs", "--generate-cli-skeleton", "yaml-input"], { cwd })
    expect(r.stdout).toBe(
      "Filter:  # An optional structure containing criteria by which to filter job results.\n" +
        "  JobStatus: Pending  # Filter by job status. Valid values are: Pending, Running, Completed, Failed, Cancelling, Cancelled.\n" +
        "MaxResults: 0 # Maximum number of jobs to return.\n" +
        "NextToken: '' # The pagination token specifying which page of results to return in the response.\n"
    )
    const get = await geojobs(["get-job", "--generate-cli-skeleton", "yaml-input"], { cwd })
    expect(get.stdout).toBe("JobId: ''  # [REQUIRED] The unique identifier of the job to retrieve.\n")
  })

  it("output: checks the request, then prints a sample response in the chosen format, calling nothing", async () => {
    const missing = await geojobs(["get-job", "--generate-cli-skeleton", "output"], { cwd })
    expect(missing.code).toBe(252)
    expect(missing.stderr).toBe("geojobs: the following arguments are required: --job-id\n")
    const r = await geojobs(["start-job", "--action", "ValidateAddress", "--execution-role-arn", "r", "--input-options", "Location=s3://in/,Format=Parquet", "--output-options", "Location=s3://out/,Format=Parquet", "--generate-cli-skeleton", "output", "--endpoint-url", "http://127.0.0.1:9"], { cwd })
    expect(r.code).toBe(0)
    expect(r.stdout).toBe("{\n    \"CreatedAt\": \"1970-01-01T00:00:00\",\n    \"JobArn\": \"JobArn\",\n    \"JobId\": \"JobId\",\n    \"Status\": \"Status\"\n}\n")
    expect(r.stderr).toBe("")
    const yaml = await geojobs(["cancel-job", "--job-id", "x", "--generate-cli-skeleton", "output", "--output", "yaml", "--query", "{At: `1`, Id: JobId}"], { cwd })
    expect(yaml.stdout).toBe("At: 1\nId: JobId\n")
  })
})
