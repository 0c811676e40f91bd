#!/usr/bin/env bash
# The design demo (ood-suite.md: ID validation and the ood-val halves only) on another model or
# with other R-Adapter settings:
#   design-demo-with-model.sh MODEL.safetensors WORK_DIR SEED [SETTING=VALUE ...] > RUN.json
# Writes WORK_DIR/design-project.json (the design project with MODEL, absolute paths and the
# settings over its hyperparameters; `templates=FILE` replaces its prompt templates and `train=DIR`
# its ID training folder instead) and
# prints `radapter demo --json` on it ($RADAPTER: another build of radapter to run). Used by the
# design-log entries that pre-train a variant or change a setting.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
base=$root/projects/digits-shift
model=$(realpath "$1") work=$2 seed=$3
shift 3
mkdir -p "$work"
/usr/bin/python3 - "$base" "$model" "$work/design-project.json" "$@" <<'PY'
import json, sys
base, model, out = sys.argv[1] + "/", sys.argv[2], sys.argv[3]
p = json.load(open(base + "digits-shift-design.json"))
p["model"] = model
p["data"] = {k: base + v for k, v in p["data"].items()}
p["ood"] = {k: base + v for k, v in p["ood"].items()}
for setting in sys.argv[4:]:
    key, value = setting.split("=", 1)
    if key == "templates": p["templates"] = value
    elif key == "train": p["data"]["train"] = value
    else: p["hyperparameters"][key] = value
json.dump(p, open(out, "w"), indent=1)
PY
"${RADAPTER:-$root/build/release/bin/radapter}" demo --json --seed "$seed" --project "$work/design-project.json"
