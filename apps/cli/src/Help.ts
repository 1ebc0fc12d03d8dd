/**
 * Help for the API commands (`geojobs start-job help`, `--help`), with the content of
 * `aws location <command> help`: the operation's documentation, a synopsis in which required
 * flags are bare and optional ones bracketed, each parameter's documentation with
 * `[required]`, its constraints (lengths, pattern, possible values) and its shorthand and JSON
 * syntax, geojobs' own flags, the global options, and examples after the AWS documentation's.
 * Everything about the parameters comes from the service model (`internal/jobsRequests.ts`).
 *
 * @since 0.1.0
 */
import type { RequestMember, RequestShape } from "./internal/jobsRequests.js"
import { requests } from "./internal/jobsRequests.js"
import { flagOf } from "./Shapes.js"

const width = 78

/** Words wrapped to `width`, every line indented. */
const wrap = (text: string, indent: string): Array<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line !== "" && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line)
      line = word
    } else {
      line = line === "" ? word : `${line} ${word}`
    }
  }
  if (line !== "") lines.push(indent + line)
  return lines
}

/** The model's HTML documentation as paragraphs, notes and bullet items. */
const documentation = (html: string, indent: string): Array<string> => {
  const blocks = html
    .replace(/<note>/g, "\n\u0001NOTE:\n")
    .replace(/<\/note>/g, "\n")
    .replace(/<li>\s*(<p>)?/g, "\n\u0002")
    .replace(/<\/?(p|ul|ol|li)>/g, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, "\"")
    .replace(/&amp;/g, "&")
    .split("\n")
    .map((b) => b.replace(/\s+/g, " ").trim())
    .filter((b) => b !== "" && b !== "\u0002")
  const out: Array<string> = []
  let inNote = false
  for (const block of blocks) {
    if (block.startsWith("\u0001")) {
      out.push("", `${indent}NOTE:`)
      inNote = true
      continue
    }
    const item = block.startsWith("\u0002")
    const text = item ? block.slice(1).trim() : block
    const at = indent + (inNote ? "    " : "")
    out.push("", ...(item ? wrap(`o ${text}`, at).map((l, i) => (i === 0 ? l : `  ${l}`)) : wrap(text, at)))
    if (!item) inNote = false
  }
  return out.slice(1)
}

const typeName = (shape: RequestShape): string => shape.type === "integer" ? "integer" : shape.type

/** The constraints the model states for a value (the AWS CLI reference lists them). */
const constraints = (shape: RequestShape, indent: string): Array<string> => {
  const items: Array<string> = []
  if (shape.type !== "structure") {
    if (shape.min !== undefined) items.push(`min: ${shape.min}`)
    if (shape.max !== undefined) items.push(`max: ${shape.max}`)
    if (shape.type === "string" && shape.pattern !== undefined) items.push(`pattern: ${shape.pattern}`)
  }
  const lines: Array<string> = items.length === 0 ? [] : ["", `${indent}Constraints:`, "", ...items.map((i) => `${indent}  o ${i}`)]
  const values = shape.type === "string" ? shape.enum : shape.type === "list" && shape.member.type === "string" ? shape.member.enum : undefined
  if (values !== undefined) lines.push("", `${indent}Possible values:`, "", ...values.map((v) => `${indent}  o ${v}`))
  return lines
}

/** A member and its nested members, as the AWS CLI's help lists them. */
const memberLines = (member: RequestMember, indent: string, top: boolean): Array<string> => {
  const s = member.shape
  const title = top
    ? `${indent}${flagOf(member.name)} (${typeName(s)})${member.required ? " [required]" : ""}`
    : `${indent}${member.name} -> (${typeName(s)})${member.required ? " [required]" : ""}`
  const inner = `${indent}  `
  const lines = [title, ...documentation(member.doc, inner).map((l) => l === "" ? l : l), ...constraints(s, inner)]
  const nested = s.type === "structure" ? s.members : s.type === "list" && s.member.type === "structure" ? s.member.members : []
  for (const m of nested) lines.push("", ...memberLines(m, `${inner}  `, false))
  if (s.type === "map") lines.push("", `${inner}  key -> (${typeName(s.key)})`, ...constraints(s.key, `${inner}    `), "", `${inner}  value -> (${typeName(s.value)})`, ...constraints(s.value, `${inner}    `))
  return lines
}

/** Shorthand and JSON syntax of a structured parameter, as the AWS CLI's help shows them. */
const syntax = (shape: RequestShape, indent: string): Array<string> => {
  const shorthand = (s: RequestShape): string => {
    switch (s.type) {
      case "structure":
        return s.members.map((m) => `${m.name}=${m.shape.type === "structure" ? `{${shorthand(m.shape)}}` : shorthand(m.shape)}`).join(",")
      case "list":
        return `[${shorthand(s.member)},${shorthand(s.member)}]`
      case "map":
        return "KeyName1=string,KeyName2=string"
      default:
        return s.type === "integer" ? "integer" : "string"
    }
  }
  const json = (s: RequestShape, at: string): string => {
    switch (s.type) {
      case "structure":
        return `{\n${s.members.map((m) => `${at}  "${m.name}": ${json(m.shape, `${at}  `)}`).join(",\n")}\n${at}}`
      case "list":
        return `[${json(s.member, at)}, ...]`
      case "map":
        return "{\"string\": \"string\"\n" + `${at}  ...}`
      case "string":
        return s.enum !== undefined ? s.enum.map((v) => `"${v}"`).join("|") : "\"string\""
      case "integer":
        return "integer"
    }
  }
  if (shape.type !== "structure" && shape.type !== "map") return []
  return [
    "",
    `${indent}Shorthand Syntax:`,
    "",
    `${indent}  ${shorthand(shape)}`,
    "",
    `${indent}JSON Syntax:`,
    "",
    ...json(shape, "").split("\n").map((l) => `${indent}  ${l}`)
  ]
}

interface Page {
  readonly operation: keyof typeof requests
  readonly synopsis: string
  /** geojobs' flags beyond the API's, with what they do. */
  readonly extra: ReadonlyArray<readonly [flag: string, text: string]>
  readonly examples: ReadonlyArray<readonly [what: string, command: string]>
  /** Replaces the operation's description (the waiter's). */
  readonly description?: string
}

const sampleId = "MyFirstCLIJob-12345678-abcd-1234-5678-abcdef123456"

const pages: Readonly<Record<string, Page>> = {
  "start-job": {
    operation: "StartJob",
    synopsis: "start-job",
    extra: [],
    examples: [
      [
        "To start an address validation job (the AWS documentation's example)",
        "geojobs start-job \\\n    --action ValidateAddress \\\n    --execution-role-arn \"arn:aws:iam::123456789012:role/LocationServiceJobExecutionRole\" \\\n    --input-options Location=arn:aws:s3:::my-input-bucket,Format=Parquet \\\n    --name \"MyFirstCLIJob\" \\\n    --output-options Location=arn:aws:s3:::my-output-bucket,Format=Parquet \\\n    --region us-west-2"
      ],
      [
        "To ask for positions and country-specific attributes, with tags",
        "geojobs start-job ... \\\n    --action-options 'ValidateAddress={AdditionalFeatures=[Position,CountrySpecificAttributes]}' \\\n    --tags team=geo,env=prod"
      ],
      [
        "To start a job from a request file made with --generate-cli-skeleton",
        "geojobs start-job --generate-cli-skeleton yaml-input > job.yaml\ngeojobs start-job --cli-input-yaml file://job.yaml"
      ]
    ]
  },
  "get-job": {
    operation: "GetJob",
    synopsis: "get-job",
    extra: [],
    examples: [
      ["To get a job's status and details (the AWS documentation's example)", `geojobs get-job --job-id "${sampleId}" --region us-west-2`],
      ["To print only its status", `geojobs get-job --job-id ${sampleId} --query Status --output text`]
    ]
  },
  "cancel-job": {
    operation: "CancelJob",
    synopsis: "cancel-job",
    extra: [],
    examples: [["To cancel a pending or running job", `geojobs cancel-job --job-id "${sampleId}" --region us-west-2`]]
  },
  "list-jobs": {
    operation: "ListJobs",
    synopsis: "list-jobs",
    extra: [
      ["--max-items (integer)", "The total number of jobs to print; a NextToken to resume from is printed after them."],
      ["--page-size (integer)", "The number of jobs asked for in each call (MaxResults); every page is still printed."],
      ["--starting-token (string)", "A NextToken printed by an earlier --max-items, to resume from."],
      ["--no-paginate (boolean)", "Make one call only, printing the service's own NextToken."]
    ],
    examples: [
      ["To list every job", "geojobs list-jobs"],
      ["To list the running jobs", "geojobs list-jobs --filter JobStatus=Running"],
      ["To list 50 jobs, 25 per call", "geojobs list-jobs --page-size 25 --max-items 50"]
    ]
  },
  "job-completed": {
    operation: "GetJob",
    synopsis: "wait job-completed",
    description:
      "Wait until JMESPath query Status returns Completed when polling with get-job. On AWS it polls every 60 seconds, as the AWS CLI, until a successful state has been reached, and gives up after 5 checks; elsewhere it polls every 0.25 to 2 seconds for up to 30 minutes. Exit codes: 0 Completed, 3 Failed, 4 Cancelled, 5 gave up, 255 a service error.",
    extra: [
      ["--timeout (string)", "Give up after this long (90, 90s, 15m, 1h30m) instead: exit code 5."],
      ["--delay (string)", "Poll at this fixed interval instead."]
    ],
    examples: [
      ["To wait until a job is completed", `geojobs wait job-completed --job-id ${sampleId}`],
      ["To wait at most 15 minutes, polling every 10 seconds", `geojobs wait job-completed --job-id ${sampleId} --timeout 15m --delay 10s`]
    ]
  }
}

const globalOptions: ReadonlyArray<readonly [string, string]> = [
  ["--region (string)", "The Region to use. Overrides config/env settings."],
  ["--profile (string)", "Use a specific profile from your credential file."],
  ["--endpoint-url (string)", "Override command's default URL with the given URL."],
  ["--output (string)", "The formatting style for command output: json, text, table, yaml, yaml-stream."],
  ["--query (string)", "A JMESPath query to use in filtering the response data."],
  ["--debug (boolean)", "Turn on debug logging."],
  ["--color (string)", "Turn on/off color output: on, off, auto."],
  ["--no-cli-pager (boolean)", "Disable cli pager for output."],
  ["--no-verify-ssl (boolean)", "Do not verify the endpoint's TLS certificate."],
  ["--no-sign-request (boolean)", "Do not sign requests. Credentials will not be loaded."],
  ["--ca-bundle (string)", "The CA certificate bundle (PEM) to use when verifying TLS certificates."],
  ["--cli-read-timeout (int)", "The maximum socket read time in seconds (default 60; 0 blocks)."],
  ["--cli-connect-timeout (int)", "The maximum socket connect time in seconds (default 60; 0 blocks)."]
]

const cliInputLines = [
  "--cli-input-json | --cli-input-yaml (string)",
  ...wrap(
    "Reads arguments from the JSON or YAML string provided (or file://path). The string follows the format provided by --generate-cli-skeleton. If other arguments are provided on the command line, those values will override the provided values.",
    "  "
  ),
  "",
  "--generate-cli-skeleton (string)",
  ...wrap(
    "Prints a JSON skeleton to standard output without sending an API request. With no value or input, a sample input JSON for --cli-input-json; with yaml-input, a sample input YAML for --cli-input-yaml; with output, it validates the command inputs and prints a sample output for that command.",
    "  "
  )
]

/** The help page of an API command (`start-job`, …, `job-completed`). */
export const page = (command: string): string => {
  const p = pages[command]
  if (p === undefined) return ""
  const request = requests[p.operation]
  const members = request.input.type === "structure" ? request.input.members : []
  const synopsis = [
    ...members.map((m) => (m.required ? `${flagOf(m.name)} <value>` : `[${flagOf(m.name)} <value>]`)),
    ...p.extra.map(([flag]) => `[${flag.split(" ")[0]} <value>]`),
    "[--cli-input-json | --cli-input-yaml]",
    "[--generate-cli-skeleton <value>]",
    "[--region <value>] [--profile <value>] [--endpoint-url <value>]",
    "[--output <value>] [--query <value>] [--debug]"
  ]
  const lines = [
    "NAME",
    `  ${command} -`,
    "",
    "DESCRIPTION",
    ...(p.description !== undefined ? wrap(p.description, "  ") : documentation(request.doc, "  ")),
    "",
    "SYNOPSIS",
    `    geojobs ${p.synopsis}`,
    ...synopsis.map((s) => `      ${s}`),
    "",
    "OPTIONS",
    ...members.flatMap((m) => ["", ...memberLines(m, "  ", true), ...syntax(m.shape, "  ")]),
    ...p.extra.flatMap(([flag, text]) => ["", `  ${flag}`, ...wrap(text, "    ")]),
    "",
    ...cliInputLines.map((l) => (l === "" ? l : `  ${l}`)),
    "",
    "GLOBAL OPTIONS",
    ...globalOptions.flatMap(([flag, text]) => ["", `  ${flag}`, ...wrap(text, "    ")]),
    "",
    "EXAMPLES",
    ...p.examples.flatMap(([what, example]) => ["", `  ${what}:`, "", ...example.split("\n").map((l) => `    ${l}`)])
  ]
  return lines.join("\n") + "\n"
}
