/**
 * The ListJobs paginator's rules, shared by `Paginator.ts` (Effect) and `MicroLocationJobs.ts`
 * (Micro): the first request (a page size fills `MaxResults` unless the request sets one; a
 * starting token overrides `NextToken`) and the token of the next page. No Effect.
 *
 * @internal
 */
import type { ListJobsRequest, ListJobsResponse } from "../Job.js"

/** Where to start and how big the pages are. */
export interface PaginationOptions {
  /** Page size (sent as `MaxResults`) unless the request sets one. */
  readonly pageSize?: number | undefined
  /** Token to resume from (overrides the request's `NextToken`). */
  readonly startingToken?: string | undefined
}

/** The first page's request. */
export const firstPage = (input: ListJobsRequest, options: PaginationOptions): ListJobsRequest => ({
  ...input,
  ...(input.MaxResults === undefined && options.pageSize !== undefined ? { MaxResults: options.pageSize } : {}),
  ...(options.startingToken !== undefined ? { NextToken: options.startingToken } : {})
})

/**
 * The request of the page after `page`, if any: while `NextToken` is present and non-empty (as
 * the official paginator goes on while it is truthy), and not the token just sent (a service
 * handing that back would loop forever).
 */
export const nextPage = (page: ListJobsResponse, sent: ListJobsRequest): ListJobsRequest | undefined =>
  page.NextToken !== undefined && page.NextToken !== "" && page.NextToken !== sent.NextToken
    ? { ...sent, NextToken: page.NextToken }
    : undefined
