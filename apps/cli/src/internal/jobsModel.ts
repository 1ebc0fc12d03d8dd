/**
 * The response shapes of the Jobs operations, in the member order of the AWS service model
 * (botocore's `location/2020-11-19/service-2.json`). The AWS CLI prints members in this order
 * (JSON) and formats timestamps by their type, so the CLI needs the order as data; list
 * members carry their shape's name, which `--generate-cli-skeleton output` prints.
 * `test/JobsModel.test.ts` compares it with the botocore model on the machine.
 */

/** A shape as the printers need it: structure member order, lists, maps, timestamps. */
export type Shape =
  | { readonly type: "structure"; readonly members: ReadonlyArray<readonly [string, Shape]> }
  | { readonly type: "list"; readonly member: Shape; /** The member's shape name (sample output names values by it). */ readonly name: string }
  | { readonly type: "map"; readonly value: Shape }
  | { readonly type: "timestamp" }
  | { readonly type: "scalar" }

const scalar: Shape = { type: "scalar" }
const timestamp: Shape = { type: "timestamp" }
const list = (member: Shape, name: string): Shape => ({ type: "list", member, name })
const structure = (...members: ReadonlyArray<readonly [string, Shape]>): Shape => ({ type: "structure", members })

const JobActionOptions = structure(["ValidateAddress", structure(["AdditionalFeatures", list(scalar, "ValidateAddressAdditionalFeature")])])
const JobInputOptions = structure(["Location", scalar], ["Format", scalar])
const JobOutputOptions = structure(["Format", scalar], ["Location", scalar])
const JobError = structure(["Code", scalar], ["Messages", list(scalar, "JobErrorMessage")])
const TagMap: Shape = { type: "map", value: scalar }

const ListJobsResponseEntry = structure(
  ["Action", scalar],
  ["ActionOptions", JobActionOptions],
  ["CreatedAt", timestamp],
  ["ExecutionRoleArn", scalar],
  ["EndedAt", timestamp],
  ["Error", JobError],
  ["InputOptions", JobInputOptions],
  ["JobId", scalar],
  ["JobArn", scalar],
  ["Name", scalar],
  ["OutputOptions", JobOutputOptions],
  ["Status", scalar],
  ["UpdatedAt", timestamp]
)

/** Output shape of each operation, by operation name. */
export const outputs: Readonly<Record<string, Shape>> = {
  StartJob: structure(["CreatedAt", timestamp], ["JobArn", scalar], ["JobId", scalar], ["Status", scalar]),
  GetJob: structure(
    ["Action", scalar],
    ["ActionOptions", JobActionOptions],
    ["CreatedAt", timestamp],
    ["EndedAt", timestamp],
    ["Error", JobError],
    ["ExecutionRoleArn", scalar],
    ["InputOptions", JobInputOptions],
    ["JobArn", scalar],
    ["JobId", scalar],
    ["Name", scalar],
    ["OutputOptions", JobOutputOptions],
    ["Status", scalar],
    ["UpdatedAt", timestamp],
    ["Tags", TagMap]
  ),
  ListJobs: structure(["Entries", list(ListJobsResponseEntry, "ListJobsResponseEntry")], ["NextToken", scalar]),
  CancelJob: structure(["JobArn", scalar], ["JobId", scalar], ["Status", scalar])
}
