/**
 * ListJobs across all pages, as Streams: of pages, and of entries. Follows `NextToken`
 * while it is present and non-empty (as the official paginator does); a service that hands
 * back the token it was just given would loop forever, so that ends the stream.
 *
 * Traced as one span per stream, `LocationJobs.listJobsPages` (`geojobs.pages`: pages read so
 * far), with each page's `LocationJobs.ListJobs` operation span under it.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { ListJobsRequest, ListJobsResponse, ListJobsResponseEntry } from "./Job.js"
import { type LocationJobs, listJobs } from "./LocationJobs.js"
import type { ListJobsError } from "./LocationJobsError.js"

/** Where to start and how big the pages are. */
export interface PaginationOptions {
  /** Page size (sent as `MaxResults`) unless the request sets one. */
  readonly pageSize?: number
  /** Token to resume from (overrides the request's `NextToken`). */
  readonly startingToken?: string
}

/** Every page of ListJobs, in order. */
export const listJobsPages = (
  input: ListJobsRequest = {},
  options: PaginationOptions = {}
): Stream.Stream<ListJobsResponse, ListJobsError, LocationJobs> => {
  const first: ListJobsRequest = {
    ...input,
    ...(input.MaxResults === undefined && options.pageSize !== undefined ? { MaxResults: options.pageSize } : {}),
    ...(options.startingToken !== undefined ? { NextToken: options.startingToken } : {})
  }
  return Stream.suspend(() => {
    let pages = 0
    return Stream.paginateEffect(first, (request: ListJobsRequest) =>
      Effect.flatMap(listJobs(request), (page) => {
        const next = page.NextToken
        const more = next !== undefined && next !== "" && next !== request.NextToken
        return Effect.as(
          Effect.annotateCurrentSpan("geojobs.pages", ++pages),
          [page, more ? Option.some({ ...first, NextToken: next }) : Option.none()] as const
        )
      }))
  }).pipe(Stream.withSpan("LocationJobs.listJobsPages", { kind: "internal", captureStackTrace: false }))
}

/** Every job of every page, in order. */
export const listJobsStream = (
  input: ListJobsRequest = {},
  options: PaginationOptions = {}
): Stream.Stream<ListJobsResponseEntry, ListJobsError, LocationJobs> =>
  Stream.flatMap(listJobsPages(input, options), (page) => Stream.fromIterable(page.Entries))
