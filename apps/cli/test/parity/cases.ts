/**
 * The AWS CLI parity table. Each case: the arguments after `aws location` / `geojobs`, the
 * oracle (AWS CLI v1 unless the case says v2, with the reason), and what may differ by design.
 */
import { roleArn } from "@geojobs/core/TestFixtures"
import { startJobArgs } from "./Parity.js"

/** What seeding made: three Failed jobs (buckets that do not exist), in this order. */
export interface Context {
  /** ParityOne, with tags and action options. */
  readonly first: string
  /** ParityTwo. */
  readonly second: string
  /** No name. */
  readonly third: string
  /** On the waiter service (jobs move only when the test moves them): a Completed job. */
  readonly completed: string
  /** On the waiter service: a Cancelled job. */
  readonly cancelled: string
  /** On the waiter service: a job left Pending. */
  readonly pending: string
}

/** One row of the table. */
export interface Case {
  readonly name: string
  readonly args: ReadonlyArray<string> | ((context: Context) => ReadonlyArray<string>)
  /** The AWS CLI to compare with (default v1). */
  readonly oracle?: "v1" | "v2"
  /** Why the oracle is v2, or why the exit code differs. */
  readonly why?: string
  /** The `config` file both CLIs read. */
  readonly config?: string
  /** Extra environment for both. */
  readonly env?: Record<string, string>
  /** Mask job ids and times (the case makes a job on each side). */
  readonly mask?: boolean
  /** The case changes the service's state (wait for it to settle afterwards). */
  readonly mutates?: boolean
  /** Run geojobs as a process (the AWS SDK reads the shared files through `process.env`). */
  readonly process?: boolean
  /** A difference not fixed yet, and why: the case is expected to fail until it is. */
  readonly known?: string
  /** The exit code geojobs must give, when it differs from the oracle's by design. */
  readonly code?: number
  /** Run against the waiter service (runner manual: the seeded jobs stay as they are). */
  readonly waiterService?: boolean
  /**
   * Give v2's JobCompleted waiter a 1 s delay and 2 attempts (through a service model of its own
   * on AWS_DATA_PATH), so that it gives up within the test; geojobs gets `geojobsArgs` instead.
   */
  readonly fastWaiter?: boolean
  /** Flags for geojobs only (its own, doing what the oracle's configuration does). */
  readonly geojobsArgs?: ReadonlyArray<string>
}

const TIMES = "v2 prints timestamps as ISO 8601 with +00:00 (v1 echoes the wire value)"
const YAML = "yaml is v2 only"
const EXIT = "v2 exit codes (252 usage, 254 service error)"

const formats = ["json", "text", "table", "yaml", "yaml-stream"] as const

const SKELETON = "--generate-cli-skeleton is v2's: its yaml-input, and output printed as a response"
const YAML_INPUT = "--cli-input-yaml is v2's"
const WAITER = "the waiter's words are v2's; geojobs exits by the job's outcome (3 Failed, 4 Cancelled, 5 gave up)"

/** Each API command with the arguments it needs to reach its output skeleton. */
const skeletonCommands: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
  ["start-job", startJobArgs("ParitySkeleton").slice(1)],
  ["get-job", ["--job-id", "x"]],
  ["cancel-job", ["--job-id", "x"]],
  ["list-jobs", []]
]

export const cases: ReadonlyArray<Case> = [
  // -- every format, on every read command (timestamps: v2) -------------------------------------
  ...formats.map((f): Case => ({
    name: `get-job --output ${f}`,
    args: (c) => ["get-job", "--job-id", c.first, "--output", f],
    oracle: "v2",
    why: f.startsWith("yaml") ? YAML : TIMES
  })),
  ...formats.map((f): Case => ({
    name: `list-jobs --output ${f}`,
    args: ["list-jobs", "--output", f],
    oracle: "v2",
    why: f.startsWith("yaml") ? YAML : TIMES
  })),
  { name: "get-job, no name, json", args: (c) => ["get-job", "--job-id", c.third], oracle: "v2", why: TIMES },
  { name: "get-job, no name, table", args: (c) => ["get-job", "--job-id", c.third, "--output", "table"], oracle: "v2", why: TIMES },

  // -- --query --------------------------------------------------------------------------------
  { name: "query: a list of ids", args: ["list-jobs", "--query", "Entries[].JobId"] },
  { name: "query: rows as text", args: ["list-jobs", "--query", "Entries[].[Name,Status]", "--output", "text"] },
  { name: "query: rows as table", args: ["list-jobs", "--query", "Entries[].[Name,Status]", "--output", "table"] },
  { name: "query: rows as json", args: ["list-jobs", "--query", "Entries[].[Name,Status]"] },
  { name: "query: filter expression", args: ["list-jobs", "--query", "Entries[?Status=='Failed'].Name"] },
  { name: "query: literal comparison", args: ["list-jobs", "--query", "Entries[?Name==`ParityTwo`].Status | [0]"] },
  { name: "query: length()", args: ["list-jobs", "--query", "length(Entries)"] },
  { name: "query: length() as text", args: ["list-jobs", "--query", "length(Entries)", "--output", "text"] },
  { name: "query: model order of a nested member", args: ["list-jobs", "--query", "Entries[0].InputOptions"] },
  { name: "query: nested member as text", args: ["list-jobs", "--query", "Entries[0].OutputOptions", "--output", "text"] },
  { name: "query: nested member as table", args: ["list-jobs", "--query", "Entries[0].Error", "--output", "table"] },
  {
    name: "query: multiselect hash as table",
    args: ["list-jobs", "--query", "sort_by(Entries, &JobId)[].{Id: JobId, Status: Status, Name: Name}", "--output", "table"]
  },
  {
    name: "query: multiselect hash as text",
    args: ["list-jobs", "--query", "sort_by(Entries, &JobId)[].{Id: JobId, Name: Name}", "--output", "text"]
  },
  { name: "query: a missing member is null", args: ["list-jobs", "--query", "Entries[0].Missing"] },
  { name: "query: a missing member as text", args: ["list-jobs", "--query", "Entries[0].Missing", "--output", "text"] },
  { name: "query: a string", args: (c) => ["get-job", "--job-id", c.first, "--query", "Name"] },
  { name: "query: a string as text", args: (c) => ["get-job", "--job-id", c.first, "--query", "Name", "--output", "text"] },
  { name: "query: tags (a map)", args: (c) => ["get-job", "--job-id", c.first, "--query", "Tags"] },
  { name: "query: tags as text", args: (c) => ["get-job", "--job-id", c.first, "--query", "Tags", "--output", "text"] },
  { name: "query: tags as table", args: (c) => ["get-job", "--job-id", c.first, "--query", "Tags", "--output", "table"] },
  { name: "query: action options", args: (c) => ["get-job", "--job-id", c.first, "--query", "ActionOptions"] },
  {
    name: "query: action options as text",
    args: (c) => ["get-job", "--job-id", c.first, "--query", "ActionOptions", "--output", "text"]
  },
  {
    name: "query: action options as yaml",
    args: (c) => ["get-job", "--job-id", c.first, "--query", "ActionOptions", "--output", "yaml"],
    oracle: "v2",
    why: YAML
  },
  { name: "query: error messages", args: (c) => ["get-job", "--job-id", c.first, "--query", "Error.Messages[0]", "--output", "text"] },
  { name: "query: an empty list", args: ["list-jobs", "--query", "Entries[?Status=='Running']"] },
  { name: "query: an empty list as text", args: ["list-jobs", "--query", "Entries[?Status=='Running']", "--output", "text"] },
  { name: "query: an empty list as table", args: ["list-jobs", "--query", "Entries[?Status=='Running']", "--output", "table"] },
  { name: "query: a bad expression", args: ["list-jobs", "--query", "Entries["], oracle: "v2", why: EXIT },
  { name: "query: an unexpected token", args: ["list-jobs", "--query", "foo bar"], oracle: "v2", why: EXIT },
  { name: "query: an unknown character", args: ["list-jobs", "--query", "@#"], oracle: "v2", why: EXIT },

  // -- inputs ---------------------------------------------------------------------------------
  { name: "filter: shorthand", args: ["list-jobs", "--filter", "JobStatus=Failed", "--query", "Entries[].Name"] },
  { name: "filter: JSON", args: ["list-jobs", "--filter", "{\"JobStatus\":\"Failed\"}", "--query", "Entries[].Name"] },
  { name: "filter: nothing matches", args: ["list-jobs", "--filter", "JobStatus=Running"] },
  {
    name: "list-jobs: --cli-input-json",
    args: ["list-jobs", "--cli-input-json", "{\"Filter\":{\"JobStatus\":\"Failed\"}}", "--query", "length(Entries)"]
  },
  {
    name: "cancel-job: --cli-input-json, an unknown job",
    args: ["cancel-job", "--cli-input-json", "{\"JobId\":\"nope\"}"],
    oracle: "v2",
    why: EXIT
  },
  { name: "query: yaml-stream", args: ["list-jobs", "--query", "Entries[].Name", "--output", "yaml-stream"], oracle: "v2", why: YAML },
  { name: "query: a scalar as yaml", args: ["list-jobs", "--query", "length(Entries)", "--output", "yaml"], oracle: "v2", why: YAML },
  { name: "get-job, no name, yaml", args: (c) => ["get-job", "--job-id", c.third, "--output", "yaml"], oracle: "v2", why: YAML },
  { name: "get-job, no name, text", args: (c) => ["get-job", "--job-id", c.third, "--output", "text"], oracle: "v2", why: TIMES },
  {
    name: "get-job: --cli-input-json",
    args: (c) => ["get-job", "--cli-input-json", JSON.stringify({ JobId: c.second }), "--query", "Name"]
  },

  // -- pagination -----------------------------------------------------------------------------
  { name: "pagination: --page-size", args: ["list-jobs", "--page-size", "1", "--query", "Entries[].JobId"] },
  { name: "pagination: --max-items token", args: ["list-jobs", "--max-items", "1", "--query", "NextToken"] },
  { name: "pagination: --max-items", args: ["list-jobs", "--max-items", "2", "--query", "Entries[].JobId"] },
  {
    name: "pagination: --max-items as text",
    args: ["list-jobs", "--max-items", "1", "--query", "Entries[].JobId", "--output", "text"]
  },

  {
    name: "pagination: --page-size as text (one line per page)",
    args: ["list-jobs", "--page-size", "1", "--query", "Entries[].JobId", "--output", "text"]
  },
  {
    name: "pagination: --page-size, length() per page as text",
    args: ["list-jobs", "--page-size", "2", "--query", "length(Entries)", "--output", "text"]
  },
  { name: "pagination: --max-items, whole text", args: ["list-jobs", "--max-items", "2", "--output", "text"], oracle: "v2", why: TIMES },
  { name: "pagination: --max-items, table", args: ["list-jobs", "--max-items", "1", "--output", "table"], oracle: "v2", why: TIMES },
  { name: "pagination: --no-paginate --max-results", args: ["list-jobs", "--no-paginate", "--max-results", "1", "--query", "Entries[].JobId"] },
  { name: "pagination: --max-results alone is one call", args: ["list-jobs", "--max-results", "2", "--query", "length(Entries)"] },
  {
    name: "pagination: --max-results token as text",
    args: ["list-jobs", "--max-results", "1", "--query", "[length(Entries), NextToken != null]", "--output", "text"]
  },
  {
    name: "pagination: --starting-token resumes",
    args: ["list-jobs", "--starting-token", Buffer.from("{\"NextToken\": null, \"boto_truncate_amount\": 1}").toString("base64"), "--query", "Entries[].JobId"]
  },
  {
    name: "pagination: --starting-token with --max-items",
    args: [
      "list-jobs",
      "--starting-token",
      Buffer.from("{\"NextToken\": null, \"boto_truncate_amount\": 1}").toString("base64"),
      "--max-items",
      "1",
      "--output",
      "json",
      "--query",
      "{Ids: Entries[].JobId, Next: NextToken}"
    ]
  },

  // -- errors ---------------------------------------------------------------------------------
  { name: "error: unknown job", args: ["get-job", "--job-id", "nope"], oracle: "v2", why: EXIT },
  { name: "error: missing --job-id", args: ["get-job"], oracle: "v2", why: EXIT },
  { name: "error: unknown option", args: ["list-jobs", "--bogus"], oracle: "v2", why: EXIT },
  { name: "error: cancel a finished job", args: (c) => ["cancel-job", "--job-id", c.second], oracle: "v2", why: EXIT },
  { name: "error: start-job without required flags", args: ["start-job", "--action", "ValidateAddress"], oracle: "v2", why: EXIT },

  {
    name: "error: a name the API refuses",
    args: [...startJobArgs("bad name!"), "--query", "JobId"],
    oracle: "v2",
    why: EXIT
  },
  {
    name: "error: an empty job id",
    args: ["get-job", "--job-id", ""],
    oracle: "v2",
    why: EXIT
  },
  {
    name: "error: an unknown member in shorthand",
    args: [...startJobArgs("Parity").slice(0, 5), "--input-options", "Location=arn:aws:s3:::in,Fromat=Parquet", "--output-options", "Location=arn:aws:s3:::out,Format=Parquet"],
    oracle: "v2",
    why: EXIT
  },

  // -- settings -------------------------------------------------------------------------------
  {
    name: "settings: the default profile's output",
    args: ["list-jobs", "--query", "Entries[].[Name,Status]"],
    config: "[default]\noutput = text\n"
  },
  {
    name: "settings: --profile's output",
    args: ["list-jobs", "--query", "Entries[].[Name,Status]", "--profile", "tab"],
    process: true,
    // Keys only in the profile: with keys in the environment too, the AWS SDK warns on stderr.
    env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" },
    config: "[default]\noutput = text\n[profile tab]\noutput = table\naws_access_key_id = test\naws_secret_access_key = test\n"
  },
  {
    name: "settings: --output beats the profile",
    args: ["list-jobs", "--query", "Entries[].Name", "--output", "json"],
    config: "[default]\noutput = text\n"
  },
  {
    name: "settings: AWS_DEFAULT_OUTPUT",
    args: ["list-jobs", "--query", "Entries[].Name"],
    env: { AWS_DEFAULT_OUTPUT: "text" }
  },

  // -- global flags pasted from runbooks ------------------------------------------------------
  { name: "flags: --no-cli-pager", args: ["list-jobs", "--query", "Entries[].Name", "--no-cli-pager"], oracle: "v2", why: "v2 only" },
  { name: "flags: --color off", args: ["list-jobs", "--query", "Entries[].[Name,Status]", "--output", "table", "--color", "off"] },
  { name: "flags: --no-verify-ssl", args: ["list-jobs", "--query", "Entries[].Name", "--no-verify-ssl"] },
  {
    name: "error: a Region the endpoint does not serve",
    args: ["list-jobs", "--query", "Entries[].Name", "--region", "us-west-2"],
    oracle: "v2",
    why: EXIT
  },

  // -- start-job (ids and times masked) -------------------------------------------------------
  {
    name: "start-job: shorthand, json",
    args: startJobArgs("ParityNew"),
    oracle: "v2",
    why: TIMES,
    mask: true,
    mutates: true
  },
  {
    name: "start-job: JSON parameters, text",
    args: [
      ...startJobArgs("ParityJson").slice(0, 5),
      "--input-options",
      "{\"Location\":\"arn:aws:s3:::parity-input\",\"Format\":\"Parquet\"}",
      "--output-options",
      "{\"Location\":\"arn:aws:s3:::parity-output\",\"Format\":\"Parquet\"}",
      "--output",
      "text",
      "--query",
      "[JobId, Status]"
    ],
    mask: true,
    mutates: true
  },
  {
    name: "start-job: --query JobId",
    args: [...startJobArgs("ParityQuery"), "--query", "Status"],
    mutates: true
  },

  // -- --generate-cli-skeleton: every command, every kind, the sample response in every format ----
  ...skeletonCommands.flatMap(([command]): Array<Case> => [
    { name: `skeleton: ${command}, no value`, args: [command, "--generate-cli-skeleton"], oracle: "v2", why: SKELETON },
    { name: `skeleton: ${command} input`, args: [command, "--generate-cli-skeleton", "input"], oracle: "v2", why: SKELETON },
    { name: `skeleton: ${command} yaml-input`, args: [command, "--generate-cli-skeleton", "yaml-input"], oracle: "v2", why: SKELETON }
  ]),
  ...skeletonCommands.flatMap(([command, needs]) =>
    formats.map((f): Case => ({
      name: `skeleton: ${command} output --output ${f}`,
      args: [command, ...needs, "--generate-cli-skeleton", "output", "--output", f],
      oracle: "v2",
      why: SKELETON
    }))
  ),
  {
    name: "skeleton: output with --query",
    args: ["list-jobs", "--generate-cli-skeleton", "output", "--query", "Entries[0].[JobId, CreatedAt]"],
    oracle: "v2",
    why: SKELETON
  },
  { name: "skeleton: output needs the required flags", args: ["get-job", "--generate-cli-skeleton", "output"], oracle: "v2", why: EXIT },
  {
    name: "skeleton: output checks the parameters",
    args: ["list-jobs", "--generate-cli-skeleton", "output", "--filter", "JobStatus=Failed,Extra=1"],
    oracle: "v2",
    why: EXIT
  },
  { name: "skeleton: wait job-completed yaml-input", args: ["wait", "job-completed", "--generate-cli-skeleton", "yaml-input"], oracle: "v2", why: SKELETON },

  // -- --cli-input-yaml / --cli-input-json ----------------------------------------------------
  {
    name: "cli-input-yaml: list-jobs",
    args: ["list-jobs", "--cli-input-yaml", "Filter:\n  JobStatus: Failed\nMaxResults: 2\n", "--query", "length(Entries)"],
    oracle: "v2",
    why: YAML_INPUT
  },
  {
    name: "cli-input-yaml: get-job",
    args: (c) => ["get-job", "--cli-input-yaml", `JobId: ${c.second}`, "--query", "Name"],
    oracle: "v2",
    why: YAML_INPUT
  },
  {
    name: "cli-input-yaml: flags override its members",
    args: ["list-jobs", "--cli-input-yaml", "Filter: {JobStatus: Failed}", "--filter", "JobStatus=Running"],
    oracle: "v2",
    why: YAML_INPUT
  },
  {
    name: "cli-input-yaml: start-job, the request whole",
    args: [
      "start-job",
      "--cli-input-yaml",
      [
        "Action: ValidateAddress",
        `ExecutionRoleArn: ${roleArn}`,
        "InputOptions: {Location: 'arn:aws:s3:::parity-input', Format: Parquet}",
        "OutputOptions:",
        "  Format: Parquet",
        "  Location: arn:aws:s3:::parity-output",
        "Name: ParityYaml"
      ].join("\n"),
      "--query",
      "Status"
    ],
    oracle: "v2",
    why: YAML_INPUT,
    mutates: true
  },
  { name: "cli-input-yaml: malformed", args: ["get-job", "--cli-input-yaml", "JobId: [a"], oracle: "v2", why: EXIT },
  { name: "cli-input-yaml: not a map", args: ["get-job", "--cli-input-yaml", "- a"], oracle: "v2", why: EXIT },
  { name: "cli-input-yaml: an unknown member", args: ["get-job", "--cli-input-yaml", "Foo: x"], oracle: "v2", why: EXIT },
  { name: "cli-input-yaml: a wrong type", args: ["list-jobs", "--cli-input-yaml", "MaxResults: x"], oracle: "v2", why: EXIT },
  {
    name: "cli-input-yaml: a missing file",
    args: ["get-job", "--cli-input-yaml", "file://missing.yaml"],
    oracle: "v2",
    why: EXIT
  },
  {
    name: "cli-input: only one of json and yaml",
    args: ["get-job", "--cli-input-yaml", "JobId: x", "--cli-input-json", "{}"],
    oracle: "v2",
    why: EXIT
  },
  { name: "cli-input-json: malformed", args: ["get-job", "--cli-input-json", "{bad"], oracle: "v2", why: EXIT },
  {
    name: "cli-input-json: start-job members checked with the flags'",
    args: ["start-job", "--cli-input-json", "{\"Action\": \"ValidateAddress\", \"Tags\": []}", "--name", ""],
    oracle: "v2",
    why: EXIT
  },

  // -- more of the AWS CLI's own refusals -------------------------------------------------------
  { name: "error: unknown options, all named", args: ["list-jobs", "--bogus", "x", "--other"], oracle: "v2", why: EXIT },
  { name: "error: a stray word", args: ["get-job", "--job-id", "a", "b"], oracle: "v2", why: EXIT },
  { name: "error: --page-size 0", args: ["list-jobs", "--page-size", "0"], oracle: "v2", why: EXIT },
  {
    name: "error: JSON of the wrong type",
    args: [
      ...startJobArgs("Parity").slice(0, 5),
      "--input-options",
      "{\"Location\": 5, \"Format\": \"Parquet\"}",
      "--output-options",
      "Location=arn:aws:s3:::out,Format=Parquet",
      "--action-options",
      "{\"ValidateAddress\": {\"AdditionalFeatures\": []}}"
    ],
    oracle: "v2",
    why: EXIT
  },

  // -- wait job-completed ---------------------------------------------------------------------
  { name: "wait: Completed", args: (c) => ["wait", "job-completed", "--job-id", c.completed], waiterService: true, oracle: "v2", why: WAITER },
  {
    name: "wait: Failed (the job's Error makes it a service error to the waiter)",
    args: (c) => ["wait", "job-completed", "--job-id", c.second],
    oracle: "v2",
    why: WAITER,
    code: 3
  },
  {
    name: "wait: Cancelled (a terminal failure state)",
    args: (c) => ["wait", "job-completed", "--job-id", c.cancelled],
    waiterService: true,
    oracle: "v2",
    why: WAITER,
    code: 4
  },
  {
    name: "wait: max attempts",
    args: (c) => ["wait", "job-completed", "--job-id", c.pending],
    waiterService: true,
    fastWaiter: true,
    geojobsArgs: ["--delay", "1s", "--timeout", "2s"],
    oracle: "v2",
    why: WAITER,
    code: 5
  },
  { name: "wait: a service error ends the wait", args: ["wait", "job-completed", "--job-id", "nope"], oracle: "v2", why: WAITER },
  { name: "wait: --cli-input-yaml", args: (c) => ["wait", "job-completed", "--cli-input-yaml", `JobId: ${c.completed}`], waiterService: true, oracle: "v2", why: WAITER },
  { name: "wait: an empty job id", args: ["wait", "job-completed", "--job-id", ""], oracle: "v2", why: EXIT },
  { name: "wait: without --job-id", args: ["wait", "job-completed"], oracle: "v2", why: EXIT }
]
