#!/usr/bin/env bash
# Runs AWS CLI v2 (Debian's awscli package, /usr/bin/aws) with the Amazon Location jobs commands,
# for tests that compare `geojobs` with v2 (yaml output, timestamps, exit codes 252-255).
#
# Debian's v2 predates the jobs operations, so they are taught to it from the service model of
# the newer botocore the pip AWS CLI v1 brings (AWS_DATA_PATH), with the model's `metadata.` host
# prefix dropped so that --endpoint-url http://127.0.0.1:PORT reaches the local service.
# Installs the package when it is missing (root and apt needed: CI installs it in .ci/run).
set -euo pipefail
cli=/usr/bin/aws
if ! "$cli" --version 2>/dev/null | grep -q '^aws-cli/2'; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends awscli; } >&2 ||
    { echo "aws-cli-v2.sh: cannot install Debian's awscli (AWS CLI v2)" >&2; exit 2; }
fi
models="${TMPDIR:-/tmp}/geojobs-aws-v2-models"
if [ ! -e "$models/location/.done" ]; then
  python3 - "$models" <<'PY' || { echo "aws-cli-v2.sh: the pip AWS CLI's botocore has no Location jobs model" >&2; exit 2; }
import gzip, json, os, shutil, sys
import botocore
target = sys.argv[1]
base = os.path.join(os.path.dirname(botocore.__file__), "data", "location")
newest = max(d for d in os.listdir(base) if os.path.isdir(os.path.join(base, d)))
source = os.path.join(base, newest)
def load(name):
    path = os.path.join(source, name)
    if os.path.exists(path + ".gz"):
        return json.load(gzip.open(path + ".gz"))
    return json.load(open(path))
model = load("service-2.json")
if "StartJob" not in model["operations"]:
    sys.exit(1)
for operation in model["operations"].values():
    operation.pop("endpoint", None)  # the hostPrefix
out = os.path.join(target, "location", newest)
os.makedirs(out, exist_ok=True)
json.dump(model, open(os.path.join(out, "service-2.json"), "w"))
for extra in ("paginators-1.json", "waiters-2.json"):
    try:
        json.dump(load(extra), open(os.path.join(out, extra), "w"))
    except FileNotFoundError:
        pass
open(os.path.join(target, "location", ".done"), "w").close()
PY
fi
export AWS_DATA_PATH="$models${AWS_DATA_PATH:+:$AWS_DATA_PATH}"
export AWS_PAGER="${AWS_PAGER-}"
exec "$cli" "$@"
