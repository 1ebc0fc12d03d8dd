/**
 * The resume token of `list-jobs --max-items`, in the AWS CLI's (botocore's) form: base64 of
 * `{"NextToken": <service token or null>, "boto_truncate_amount": <entries already shown from
 * that page>}`. `--starting-token` also accepts a raw service NextToken.
 *
 * @since 0.1.0
 */

/** Where to resume. */
export interface Resume {
  /** The service NextToken of the page to fetch (undefined: the first page). */
  readonly nextToken: string | undefined
  /** Entries of that page already shown. */
  readonly skip: number
}

/** Encodes a resume point. */
export const encode = (resume: Resume): string => {
  const json = resume.skip > 0
    ? `{"NextToken": ${JSON.stringify(resume.nextToken ?? null)}, "boto_truncate_amount": ${resume.skip}}`
    : `{"NextToken": ${JSON.stringify(resume.nextToken ?? null)}}`
  return Buffer.from(json, "utf8").toString("base64")
}

/** Decodes `--starting-token`: our (botocore's) form, or else a raw service token. */
export const decode = (token: string): Resume => {
  try {
    const text = Buffer.from(token, "base64").toString("utf8")
    if (text.startsWith("{")) {
      const parsed = JSON.parse(text) as { NextToken?: unknown; boto_truncate_amount?: unknown }
      const next = typeof parsed.NextToken === "string" && parsed.NextToken !== "" ? parsed.NextToken : undefined
      const skip = typeof parsed.boto_truncate_amount === "number" ? parsed.boto_truncate_amount : 0
      return { nextToken: next, skip }
    }
  } catch {
    // not ours: a raw token
  }
  return { nextToken: token, skip: 0 }
}
