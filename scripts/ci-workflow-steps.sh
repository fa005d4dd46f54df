#!/usr/bin/env bash
# Turns the example GitHub workflow's `run:` steps into shell scripts that run its very lines
# outside GitHub (scripts/fresh-machine.sh runs them in a clean Debian 12), so a step that
# cannot work on a fresh machine fails here first. Steps that `uses:` an action (checkout,
# upload-artifact) are GitHub's own and are left out; `${{ github.event.pull_request.base.sha }}`
# becomes BASE; `sudo` runs the command as it is where the caller is root without sudo.
#   scripts/ci-workflow-steps.sh WORKFLOW.yml OUTDIR BASE [JOB]
# Writes OUTDIR/NN.sh, one a step, in order (of every job, or of JOB alone), and prints their
# names. Needs /usr/bin/python3 with python3-yaml.
set -euo pipefail
[ $# -eq 3 ] || [ $# -eq 4 ] ||
  { echo "usage: ci-workflow-steps.sh WORKFLOW.yml OUTDIR BASE [JOB]" >&2; exit 2; }
[[ $3 =~ ^[0-9a-f]{7,40}$ ]] || { echo "ci-workflow-steps: BASE '$3' is not a commit id" >&2; exit 2; }
mkdir -p "$2"
/usr/bin/python3 - "$@" <<'PY'
import os, re, shlex, sys
import yaml

path, outdir, base = sys.argv[1:4]
only = sys.argv[4] if len(sys.argv) > 4 else None
with open(path) as f:
    doc = yaml.safe_load(f)
if only is not None and only not in doc["jobs"]:
    sys.exit(f"ci-workflow-steps: {path} has no job {only!r} (it has: {', '.join(doc['jobs'])})")
known = {"github.event.pull_request.base.sha": base}

def expand(text, where):
    def one(m):
        expr = m.group(1).strip()
        if expr not in known:
            sys.exit(f"ci-workflow-steps: {where}: no value for ${{{{ {expr} }}}}")
        return known[expr]
    return re.sub(r"\$\{\{(.*?)\}\}", one, str(text))

n = 0
for job_name, job in doc["jobs"].items():
    if only is not None and job_name != only:
        continue
    for step in job["steps"]:
        if "run" not in step:
            continue
        n += 1
        name = step.get("name", f"step {n}")
        lines = ["#!/usr/bin/env bash",
                 f"# {job_name}: {name} (from {os.path.basename(path)})",
                 "set -eo pipefail  # GitHub's bash: --noprofile --norc -eo pipefail",
                 '[ "$(id -u)" -eq 0 ] && ! command -v sudo >/dev/null && sudo() { "$@"; }']
        for key, value in (step.get("env") or {}).items():
            if not re.fullmatch(r"[A-Z_][A-Z0-9_]*", key):
                sys.exit(f"ci-workflow-steps: {name}: env name {key!r}")
            lines.append(f"export {key}={shlex.quote(expand(value, name))}")
        lines.append(expand(step["run"], name))
        out = os.path.join(outdir, f"{n:02d}.sh")
        with open(out, "w") as f:
            f.write("\n".join(lines) + "\n")
        print(f"{out}\t{name}")
if n == 0:
    sys.exit(f"ci-workflow-steps: {path} has no run step")
PY
