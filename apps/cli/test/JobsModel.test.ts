/**
 * The member order the printers use, and the request shapes the parameter checks, skeletons and
 * help use, must be the AWS service model's: compared with botocore's model when Python's
 * botocore is on the machine (it is, with the AWS CLI), skipped otherwise.
 */
import { describe, expect, it } from "@effect/vitest"
import { spawnSync } from "node:child_process"
import { outputs, type Shape } from "../src/internal/jobsModel.js"
import { requests } from "../src/internal/jobsRequests.js"

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
    if t == "list": return {"type": t, "member": walk(s["member"]["shape"]), "name": s["member"]["shape"]}
    if t == "map": return {"type": t, "value": walk(s["value"]["shape"])}
    if t == "timestamp": return {"type": t}
    return {"type": "scalar"}
def limits(s):
    return {k: s[k] for k in ("min", "max", "pattern", "enum") if k in s}
def request(name):
    s = shapes[name]
    t = s["type"]
    if t == "structure":
        return {"type": t, "name": name, "members": [
            {"name": k, "required": k in s.get("required", []),
             "doc": v.get("documentation", shapes[v["shape"]].get("documentation", "")), "shape": request(v["shape"])}
            for k, v in s["members"].items()]}
    if t == "list": return {"type": t, "name": name, **limits(s), "member": request(s["member"]["shape"])}
    if t == "map": return {"type": t, "name": name, **limits(s), "key": request(s["key"]["shape"]), "value": request(s["value"]["shape"])}
    return {"type": t, "name": name, **limits(s)}
ops = ["StartJob", "GetJob", "ListJobs", "CancelJob"]
print(json.dumps({
    "outputs": {op: walk(model["operations"][op]["output"]["shape"]) for op in ops},
    "requests": {op: {"input": request(model["operations"][op]["input"]["shape"]), "doc": model["operations"][op].get("documentation", "")} for op in ops}
}))
`

const botocore = spawnSync("python3", ["-c", script], { encoding: "utf8" })

describe("jobsModel", () => {
  const model = botocore.status === 0
    ? JSON.parse(botocore.stdout) as { outputs: Record<string, Shape>; requests: unknown }
    : undefined

  it.skipIf(model === undefined)("has botocore's member order and types, and list members' shape names", () => {
    expect(JSON.parse(JSON.stringify(outputs))).toEqual(model!.outputs)
  })

  it.skipIf(model === undefined)("has botocore's request shapes: order, required members, constraints, documentation", () => {
    expect(JSON.parse(JSON.stringify(requests))).toEqual(model!.requests)
  })
})
