/**
 * The request shapes of the Jobs operations as the AWS service model states them (botocore's
 * `location/2020-11-19/service-2.json`): member order, required members, constraints and the
 * API's documentation. The AWS CLI builds its parameter checks, `--generate-cli-skeleton` and
 * help from these; so does `geojobs`. `test/JobsModel.test.ts` compares them with botocore's.
 */

/** A request shape: what a member's value must be. */
export type RequestShape =
  | { readonly type: "structure"; readonly name: string; readonly members: ReadonlyArray<RequestMember> }
  | { readonly type: "list"; readonly name: string; readonly member: RequestShape; readonly min?: number; readonly max?: number }
  | {
    readonly type: "map"
    readonly name: string
    readonly key: RequestShape
    readonly value: RequestShape
    readonly min?: number
    readonly max?: number
  }
  | {
    readonly type: "string"
    readonly name: string
    readonly min?: number
    readonly max?: number
    readonly pattern?: string
    readonly enum?: ReadonlyArray<string>
  }
  | { readonly type: "integer"; readonly name: string; readonly min?: number; readonly max?: number }

/** A structure member: its name, shape, whether it is required and its documentation (HTML). */
export interface RequestMember {
  readonly name: string
  readonly required: boolean
  readonly doc: string
  readonly shape: RequestShape
}

interface Limits {
  readonly min?: number
  readonly max?: number
  readonly pattern?: string
  readonly enum?: ReadonlyArray<string>
}

const string = (name: string, limits: Limits = {}): RequestShape => ({ type: "string", name, ...limits })
const integer = (name: string, limits: Limits = {}): RequestShape => ({ type: "integer", name, ...limits })
const list = (name: string, member: RequestShape, limits: Limits = {}): RequestShape => ({ type: "list", name, ...limits, member })
const map = (name: string, key: RequestShape, value: RequestShape, limits: Limits = {}): RequestShape => ({
  type: "map",
  name,
  ...limits,
  key,
  value
})
const structure = (name: string, members: ReadonlyArray<RequestMember>): RequestShape => ({ type: "structure", name, members })
const member = (name: string, shape: RequestShape, required: boolean, doc: string): RequestMember => ({
  name,
  required,
  doc,
  shape
})

const ClientToken: RequestShape = string("ClientToken", { min: 1, max: 64, pattern: "[!-~]+" })
const JobAction: RequestShape = string("JobAction", { enum: ["ValidateAddress"] })
const ValidateAddressAdditionalFeature: RequestShape = string("ValidateAddressAdditionalFeature", { enum: ["Position", "CountrySpecificAttributes"] })
const ValidateAddressAdditionalFeatureList: RequestShape = list("ValidateAddressAdditionalFeatureList", ValidateAddressAdditionalFeature, { min: 1, max: 2 })
const ValidateAddressActionOptions: RequestShape = structure("ValidateAddressActionOptions", [
  member("AdditionalFeatures", ValidateAddressAdditionalFeatureList, false, "<p>A list of optional additional parameters that can be requested for each result.</p> <p>Values:</p> <ul> <li> <p> <code>Position</code> - Return the position coordinates of the address if available.</p> </li> <li> <p> <code>CountrySpecificAttributes</code> - Return additional information about the address specific to the country of origin.</p> </li> </ul>")
])
const JobActionOptions: RequestShape = structure("JobActionOptions", [
  member("ValidateAddress", ValidateAddressActionOptions, false, "<p>Options specific to address validation jobs.</p>")
])
const IamRoleArn: RequestShape = string("IamRoleArn")
const JobInputLocation: RequestShape = string("JobInputLocation", { min: 0, max: 300, pattern: "(arn:aws(-[a-z]+)*:[a-z0-9-]+:[a-z0-9-]*:(\\d{12})?:[\\w/+=,.-]+|s3://[a-z0-9][a-z0-9._-]{2,254}(/[^/]+)*/?)" })
const JobInputFormat: RequestShape = string("JobInputFormat", { enum: ["Parquet"] })
const JobInputOptions: RequestShape = structure("JobInputOptions", [
  member("Location", JobInputLocation, true, "<p>S3 ARN or URI where input files are stored.</p> <note> <p>The Amazon S3 bucket must be created in the same Amazon Web Services region where you plan to run your job.</p> </note>"),
  member("Format", JobInputFormat, true, "<p>Input data format. Currently only <code>Parquet</code> is supported.</p> <note> <p>Input files have a limitation of 10gb per file, and 1gb per Parquet row-group within the file.</p> </note>")
])
const ResourceName: RequestShape = string("ResourceName", { min: 1, max: 100, pattern: "[-._\\w]+" })
const JobOutputFormat: RequestShape = string("JobOutputFormat", { enum: ["Parquet"] })
const JobOutputLocation: RequestShape = string("JobOutputLocation", { min: 0, max: 300, pattern: "(arn:aws(-[a-z]+)*:[a-z0-9-]+:[a-z0-9-]*:(\\d{12})?:[\\w/+=,.-]+|s3://[a-z0-9][a-z0-9._-]{2,254}(/[^/]+)*/)" })
const JobOutputOptions: RequestShape = structure("JobOutputOptions", [
  member("Format", JobOutputFormat, true, "<p>Output data format. Currently only \"Parquet\" is supported.</p>"),
  member("Location", JobOutputLocation, true, "<p>S3 ARN or URI where output files will be written.</p> <note> <p>The Amazon S3 bucket must exist in the same Amazon Web Services region where you plan to run your job.</p> </note>")
])
const TagKey: RequestShape = string("TagKey", { min: 1, max: 128, pattern: "([\\p{L}\\p{Z}\\p{N}_.,:/=+\\-@]*)" })
const TagValue: RequestShape = string("TagValue", { min: 0, max: 256, pattern: "([\\p{L}\\p{Z}\\p{N}_.,:/=+\\-@]*)" })
const TagMap: RequestShape = map("TagMap", TagKey, TagValue, { min: 0, max: 50 })
const StartJobRequest: RequestShape = structure("StartJobRequest", [
  member("ClientToken", ClientToken, false, "<p>A unique identifier for this request to ensure idempotency.</p>"),
  member("Action", JobAction, true, "<p>The action to perform on the input data.</p>"),
  member("ActionOptions", JobActionOptions, false, "<p>Additional parameters that can be requested for each result.</p>"),
  member("ExecutionRoleArn", IamRoleArn, true, "<p>The Amazon Resource Name (ARN) of the IAM role that Amazon Location Service assumes during job processing. Amazon Location Service uses this role to access the input and output locations specified for the job.</p> <note> <p>The IAM role must be created in the same Amazon Web Services account where you plan to run your job.</p> </note> <p>For more information about configuring IAM roles for Amazon Location jobs, see <a href=\"https://docs.aws.amazon.com/location/latest/developerguide/configure-iam-role-policy-credentials.html\">Configure IAM permissions</a> in the <i>Amazon Location Service Developer Guide</i>.</p>"),
  member("InputOptions", JobInputOptions, true, "<p>Configuration for input data location and format.</p> <note> <p>Input files have a limitation of 10gb per file, and 1gb per Parquet row-group within the file.</p> </note>"),
  member("Name", ResourceName, false, "<p>An optional name for the job resource.</p>"),
  member("OutputOptions", JobOutputOptions, true, "<p>Configuration for output data location and format.</p>"),
  member("Tags", TagMap, false, "<p>Tags and corresponding values to be associated with the job.</p>")
])
const JobId: RequestShape = string("JobId", { min: 1, max: 200, pattern: "[-._\\w]+" })
const GetJobRequest: RequestShape = structure("GetJobRequest", [
  member("JobId", JobId, true, "<p>The unique identifier of the job to retrieve.</p>")
])
const JobStatus: RequestShape = string("JobStatus", { enum: ["Pending", "Running", "Completed", "Failed", "Cancelling", "Cancelled"] })
const JobsFilter: RequestShape = structure("JobsFilter", [
  member("JobStatus", JobStatus, false, "<p>Filter by job status.</p>")
])
const ListJobsRequestMaxResultsInteger: RequestShape = integer("ListJobsRequestMaxResultsInteger", { min: 1, max: 100 })
const LargeToken: RequestShape = string("LargeToken", { min: 1, max: 60000 })
const ListJobsRequest: RequestShape = structure("ListJobsRequest", [
  member("Filter", JobsFilter, false, "<p>An optional structure containing criteria by which to filter job results.</p>"),
  member("MaxResults", ListJobsRequestMaxResultsInteger, false, "<p>Maximum number of jobs to return.</p>"),
  member("NextToken", LargeToken, false, "<p>The pagination token specifying which page of results to return in the response. If no token is provided, the default page is the first page.</p>")
])
const CancelJobRequest: RequestShape = structure("CancelJobRequest", [
  member("JobId", JobId, true, "<p>The unique identifier of the job to cancel.</p>")
])

/** An operation's request shape and documentation (HTML), by operation name. */
export const requests: Readonly<Record<"StartJob" | "GetJob" | "ListJobs" | "CancelJob", { readonly input: RequestShape; readonly doc: string }>> = {
  StartJob: { input: StartJobRequest, doc: "<p> <code>StartJob</code> starts a new asynchronous bulk processing job. You specify the input data location in Amazon S3, the action to perform, and the output location where results are written.</p> <p>For more information, see <a href=\"https://docs.aws.amazon.com/location/latest/developerguide/jobs-concepts.html\">Job concepts</a> in the <i>Amazon Location Service Developer Guide</i>.</p>" },
  GetJob: { input: GetJobRequest, doc: "<p> <code>GetJob</code> retrieves detailed information about a specific job, including its current status, configuration, and error information if the job failed.</p> <p>For more information, see <a href=\"https://docs.aws.amazon.com/location/latest/developerguide/jobs-concepts.html\">Job concepts</a> in the <i>Amazon Location Service Developer Guide</i>.</p>" },
  ListJobs: { input: ListJobsRequest, doc: "<p> <code>ListJobs</code> retrieves a list of jobs with optional filtering and pagination support.</p> <p>For more information, see <a href=\"https://docs.aws.amazon.com/location/latest/developerguide/jobs-concepts.html\">Job concepts</a> in the <i>Amazon Location Service Developer Guide</i>.</p>" },
  CancelJob: { input: CancelJobRequest, doc: "<p> <code>CancelJob</code> cancels a job that is currently running or pending. If the job is already in a terminal state (<code>Completed</code>, <code>Failed</code>, or <code>Cancelled</code>), the operation returns successfully with the current status.</p> <p>For more information, see <a href=\"https://docs.aws.amazon.com/location/latest/developerguide/jobs-concepts.html\">Job concepts</a> in the <i>Amazon Location Service Developer Guide</i>.</p>" }
}
