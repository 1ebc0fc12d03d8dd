/**
 * The request constraints are one table (`internal/constraints.ts`) that both request checks are
 * built from: `Job.ts`'s Schemas and the Micro client's checks. Each row is held to both: a value
 * just too short, just too long, or refused by the pattern is refused by both with the table's
 * words, and a value at the bounds passes both.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as C from "../src/internal/constraints.js"
import { scalars } from "../src/internal/microJob.js"
import * as S from "../src/internal/microSchema.js"
import * as Job from "../src/Job.js"

/** A value each row's pattern refuses (rows without a pattern have none). */
const refusedByPattern: Partial<Record<keyof typeof C.text, string>> = {
  JobId: "job id",
  ResourceName: "a/b",
  ClientToken: "has space",
  JobInputLocation: "s3://in/batch/",
  JobOutputLocation: "s3://out-bucket/no-slash",
  TagValue: "semi;colon"
}

/** A value each row accepts, to stretch to the bounds. */
const accepted: Record<keyof typeof C.text, string> = {
  JobId: "j",
  ResourceName: "n",
  ClientToken: "t",
  IamRoleArn: "arn:aws:iam::123456789012:role/R",
  JobInputLocation: "s3://in-bucket/x/",
  JobOutputLocation: "s3://out-bucket/y/",
  TagValue: "",
  NextToken: "t"
}

const effectSide = (name: keyof typeof C.text, value: string): string | undefined =>
  Either.match(Schema.decodeUnknownEither(Job[name] as Schema.Schema<string>)(value, { errors: "first" }), {
    onLeft: (e) => ParseResult.ArrayFormatter.formatErrorSync(e)[0]!.message,
    onRight: () => undefined
  })

const microSide = (name: keyof typeof C.text, value: string): string | undefined => {
  const issues: Array<S.Issue> = []
  return scalars[name].p(value, [], issues) === S.Fail ? issues[0]!.message : undefined
}

describe("the constraints table builds both request checks", () => {
  for (const name of Object.keys(C.text) as Array<keyof typeof C.text>) {
    const row: C.TextConstraint = C.text[name]
    it(`${name}: ${JSON.stringify({ ...row, pattern: row.pattern?.source, patternMessage: undefined })}`, () => {
      const cases: Array<readonly [string, string | undefined]> = [[accepted[name], undefined]]
      if (row.minLength !== undefined) {
        cases.push(["x".repeat(row.minLength - 1), C.tooShortMessage(row)])
      }
      if (row.maxLength !== undefined) {
        const fill = accepted[name].endsWith("/") ? accepted[name].slice(0, -1) : accepted[name]
        const longest = (fill + "a".repeat(row.maxLength)).slice(0, row.maxLength - (fill === accepted[name] ? 0 : 1)) +
          (fill === accepted[name] ? "" : "/")
        cases.push([longest, undefined])
        cases.push([longest + "a", C.tooLongMessage(row)])
      }
      const refused = refusedByPattern[name]
      if (refused !== undefined) cases.push([refused, C.patternMessage(row, refused)])
      for (const [value, message] of cases) {
        expect([effectSide(name, value), microSide(name, value)], JSON.stringify(value).slice(0, 40)).toEqual([message, message])
      }
    })
  }
})
