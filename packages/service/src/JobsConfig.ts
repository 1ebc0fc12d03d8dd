/**
 * Settings of the server-side Jobs API: where it claims to run (partition, region, account,
 * used in job ARNs), the documented choices for the spec's UNKNOWNs (default page size, how
 * long ClientTokens and NextTokens live), and how ids are made.
 *
 * @since 0.1.0
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { randomBytes, uuidV4 } from "./internal/uuid.js"

/** The resolved settings. */
export interface JobsConfigService {
  /** ARN partition, `aws` by default. */
  readonly partition: string
  /** Region in job ARNs, `us-east-1` by default. */
  readonly region: string
  /** 12-digit account id in job ARNs, `000000000000` by default. */
  readonly accountId: string
  /**
   * ListJobs page size when `MaxResults` is absent. The spec leaves it UNKNOWN; we choose
   * **100**, the largest allowed page, as most AWS list operations do.
   */
  readonly defaultMaxResults: number
  /**
   * How long a StartJob `ClientToken` is remembered (UNKNOWN in the spec); **24 hours** by
   * default. After that the same token starts a new job.
   */
  readonly clientTokenTtl: Duration.Duration
  /** How long a ListJobs `NextToken` stays valid after it is issued; **24 hours** by default. */
  readonly nextTokenTtl: Duration.Duration
  /** HMAC key for NextTokens (tokens do not survive a key change). */
  readonly nextTokenSecret: Uint8Array
  /**
   * Answer unknown request members with `ValidationException` reason `UnknownField`
   * (default `true`); `false` ignores them.
   */
  readonly rejectUnknownFields: boolean
  /** Makes the UUID part of job ids and request ids (UUID v4 from `Random` by default). */
  readonly newId: Effect.Effect<string>
}

/** The settings tag. */
export class JobsConfig extends Context.Tag("@geojobs/service/JobsConfig")<JobsConfig, JobsConfigService>() {}

/** Settings a caller may override; everything else takes the documented default. */
export interface JobsConfigInput {
  readonly partition?: string
  readonly region?: string
  readonly accountId?: string
  readonly defaultMaxResults?: number
  readonly clientTokenTtl?: Duration.DurationInput
  readonly nextTokenTtl?: Duration.DurationInput
  readonly nextTokenSecret?: Uint8Array
  readonly rejectUnknownFields?: boolean
  readonly newId?: Effect.Effect<string>
}

/** Resolves settings; a missing `nextTokenSecret` is drawn at random (32 bytes). */
export const make = (input: JobsConfigInput = {}): Effect.Effect<JobsConfigService> =>
  Effect.gen(function*() {
    const defaultMaxResults = input.defaultMaxResults ?? 100
    if (!Number.isInteger(defaultMaxResults) || defaultMaxResults < 1 || defaultMaxResults > 100) {
      return yield* Effect.dieMessage(`defaultMaxResults must be an integer 1-100, got ${defaultMaxResults}`)
    }
    return JobsConfig.of({
      partition: input.partition ?? "aws",
      region: input.region ?? "us-east-1",
      accountId: input.accountId ?? "000000000000",
      defaultMaxResults,
      clientTokenTtl: Duration.decode(input.clientTokenTtl ?? "24 hours"),
      nextTokenTtl: Duration.decode(input.nextTokenTtl ?? "24 hours"),
      nextTokenSecret: input.nextTokenSecret ?? (yield* randomBytes(32)),
      rejectUnknownFields: input.rejectUnknownFields ?? true,
      newId: input.newId ?? uuidV4
    })
  })

/** A layer of resolved settings. */
export const layer = (input: JobsConfigInput = {}): Layer.Layer<JobsConfig> => Layer.effect(JobsConfig, make(input))
