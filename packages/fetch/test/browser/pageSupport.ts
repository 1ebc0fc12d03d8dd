// What both browser pages share: the endpoint from the page's query, where results are shown, the job they start.

/** The page's query (`?endpoint=` the local service). */
export const params = new URLSearchParams(window.location.search)

/** Writes `text` into the element `id` (`job`, `status`, `error`). */
export const show = (id: string, text: string) => {
  document.getElementById(id)!.textContent = text
}

/** The job each page starts. */
export const browserJob = {
  Action: "ValidateAddress",
  ExecutionRoleArn: "arn:aws:iam::000000000000:role/browser",
  InputOptions: { Location: "s3://browser-input/", Format: "Parquet" },
  OutputOptions: { Location: "s3://browser-output/", Format: "Parquet" },
  Name: "FromTheBrowser"
} as const
