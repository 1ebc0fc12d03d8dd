/**
 * `--generate-cli-skeleton [input|output|yaml-input]`, as AWS CLI v2 prints it: a request to fill
 * in for `--cli-input-json` (values by type: an enum's first value, `""`, `0`, one list item, a
 * `KeyName` map entry), the same as YAML with each member's documentation as a comment for
 * `--cli-input-yaml`, or a sample response (values named after their members, timestamps at the
 * epoch) printed as a real response would be.
 *
 * @since 0.1.0
 */
import type { Shape } from "./internal/jobsModel.js"
import type { RequestMember, RequestShape } from "./internal/jobsRequests.js"
import type { Plain } from "./internal/plain.js"

/** The skeleton kinds. */
export const kinds = ["input", "output", "yaml-input"] as const

/** A skeleton kind. */
export type Kind = typeof kinds[number]

const inputValue = (shape: RequestShape): Plain => {
  switch (shape.type) {
    case "structure":
      return Object.fromEntries(shape.members.map((m) => [m.name, inputValue(m.shape)]))
    case "list":
      return [inputValue(shape.member)]
    case "map":
      return { KeyName: inputValue(shape.value) }
    case "string":
      return shape.enum?.[0] ?? ""
    case "integer":
      return 0
  }
}

/** `input`: JSON with a 4-space indent, as Python's `json.dump(…, indent=4)`. */
export const input = (shape: RequestShape): string => JSON.stringify(inputValue(shape), null, 4) + "\n"

/** A model documentation string (HTML) as plain text. */
export const plainText = (html: string): string =>
  html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, "\"")
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&")

/** The first sentence of a member's documentation, as the AWS CLI's YAML comments give it. */
export const overview = (html: string): string => {
  const first = plainText(html).split(/[.:]+/)[0] ?? ""
  return (first === "" ? "" : `${first}.`).replace(/[\n\u2028]/g, " ")
}

const comment = (member: RequestMember): string => {
  const parts = [
    ...(member.required ? ["[REQUIRED]"] : []),
    overview(member.doc),
    ...(member.shape.type === "string" && member.shape.enum !== undefined
      ? [`Valid values are: ${member.shape.enum.join(", ")}.`]
      : [])
  ]
  const text = parts.join(" ")
  return text.trim() === "" ? "" : `# ${text}`
}

const yamlScalar = (value: string | number): string =>
  typeof value === "number" ? String(value) : value === "" ? "''" : value

/**
 * Lines of a mapping at `indent`. The AWS CLI's YAML writer puts two spaces before the first
 * member's comment in each mapping and one before the others'; maps (`Tags`) carry no comments.
 */
const yamlLines = (shape: RequestShape, indent: string): Array<string> => {
  if (shape.type === "map") return [`${indent}KeyName: ${yamlValue(shape.value)}`]
  if (shape.type !== "structure") return []
  return shape.members.flatMap((member, i) => {
    const note = comment(member)
    const gap = note === "" ? "" : i === 0 ? "  " : " "
    const s = member.shape
    const key = `${indent}${member.name}:`
    if (s.type === "structure" || s.type === "map") return [`${key}${gap}${note}`, ...yamlLines(s, `${indent}  `)]
    // A list's items sit at its key's indentation, one sample item.
    if (s.type === "list") return [`${key}${gap}${note}`, `${indent}- ${yamlValue(s.member)}`]
    return [`${indent}${member.name}: ${yamlValue(s)}${gap}${note}`]
  })
}

const yamlValue = (shape: RequestShape): string => {
  const value = inputValue(shape)
  return typeof value === "string" || typeof value === "number" ? yamlScalar(value) : ""
}

/** `yaml-input`: the request as YAML, each member commented with its documentation. */
export const yamlInput = (shape: RequestShape): string => yamlLines(shape, "").map((l) => `${l}\n`).join("")

/** The epoch, as AWS CLI v2 prints the sample's (naive) timestamps: `T` in JSON, a space elsewhere. */
export const sampleTime = (format: string): string => format === "json" ? "1970-01-01T00:00:00" : "1970-01-01 00:00:00"

/**
 * `output`: a sample response in the model's member order, strings named after their member
 * (list items after their shape), timestamps as `time`.
 */
export const output = (shape: Shape, time: string): Plain => {
  const walk = (s: Shape, name: string): Plain => {
    switch (s.type) {
      case "structure":
        return Object.fromEntries(s.members.map(([member, memberShape]) => [member, walk(memberShape, member)]))
      case "list":
        return [walk(s.member, s.name)]
      case "map":
        return { KeyName: "" }
      case "timestamp":
        return time
      case "scalar":
        return name
    }
  }
  return walk(shape, "")
}
