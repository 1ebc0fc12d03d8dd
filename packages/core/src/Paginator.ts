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
import * as pagination from "./internal/paginationRules.js"
import type { ListJobsError } from "./LocationJobsError.js"

/** Where to start and how big the pages are. */
export type PaginationOptions = pagination.PaginationOptions

/** Every page of ListJobs, in order. */
export const listJobsPages = (
  input: ListJobsRequest = {},
  options: PaginationOptions = {}
): Stream.Stream<ListJobsResponse, ListJobsError, LocationJobs> =>
  Stream.suspend(() => {
    let pages = 0
    return Stream.paginateEffect(pagination.firstPage(input, options), (request: ListJobsRequest) =>
      Effect.flatMap(listJobs(request), (page) =>
        Effect.as(
          Effect.annotateCurrentSpan("geojobs.pages", ++pages),
          [page, Option.fromNullable(pagination.nextPage(page, request))] as const
        )))
  }).pipe(Stream.withSpan("LocationJobs.listJobsPages", { kind: "internal", captureStackTrace: false }))

/** Every job of every page, in order. */
export const listJobsStream = (
  input: ListJobsRequest = {},
  options: PaginationOptions = {}
): Stream.Stream<ListJobsResponseEntry, ListJobsError, LocationJobs> =>
  Stream.flatMap(listJobsPages(input, options), (page) => Stream.fromIterable(page.Entries))
