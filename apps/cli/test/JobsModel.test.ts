/**
 * The member order the printers use must be the AWS service model's: compared with botocore's
 * model when Python's botocore is on the machine (it is, with the AWS CLI), skipped otherwise.
 */
import { describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { outputs, type Shape } from "../src/internal/jobsModel.js"

const script = `
import gzip, json, os, sys
import botocore
root = os.path.join(os.path.dirname(botocore.__file__), "data", "location")
version = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))[-1]
path = os.path.join(root, version, "service-2.json")
model = json.load(gzip.open(path + ".gz") if os.path.exists(path + ".gz") else open(path))
shapes = model["shapes"]
def walk(name):
    s = shapes[name]
    t = s["type"]
    if t == "structure": return {"type": t, "members": [[k, walk(v["shape"])] for k, v in s["members"].items()]}
    if t == "list": return {"type": t, "member": walk(s["member"]["shape"])}
    if t == "map": return {"type": t, "value": walk(s["value"]["shape"])}
    if t == "timestamp": return {"type": t}
    return {"type": "scalar"}
print(json.dumps({op: walk(model["operations"][op]["output"]["shape"]) for op in ["StartJob", "GetJob", "ListJobs", "CancelJob"]}))
`

const botocore = spawnSync("python3", ["-c", script], { encoding: "utf8" })

describe("jobsModel", () => {
  it.skipIf(botocore.status !== 0)("has botocore's member order and types", () => {
    const expected = JSON.parse(botocore.stdout) as Record<string, Shape>
    expect(JSON.parse(JSON.stringify(outputs))).toEqual(expected)
  })
})
