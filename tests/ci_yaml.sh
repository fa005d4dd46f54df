#!/usr/bin/env bash
# The example CI workflow (ci/github-actions-bench.yml) is valid YAML with the shape GitHub
# reads (on, jobs.<id>.runs-on, steps), compares with --metric instructions (normalized and
# speedup as second opinions) into the step summary, and keeps a history as docs/ci.md
# promises: restored from and saved to the actions cache, a history check gate and add, the gab
# and BMF exports, the site published to GitHub Pages. Needs Debian's /usr/bin/python3 with python3-yaml
# (scripts/install-deps.sh --test installs it).
set -u
file=${1:?usage: ci_yaml.sh WORKFLOW.yml}
/usr/bin/python3 - "$file" <<'PY'
import sys
try:
    import yaml
except ImportError:
    sys.exit("ci_yaml: python3-yaml is missing (scripts/install-deps.sh installs it)")
path = sys.argv[1]
try:
    with open(path) as f:
        doc = yaml.safe_load(f)
except (OSError, yaml.YAMLError) as e:
    sys.exit(f"{path}: not valid YAML: {e}")
errors = []
if not isinstance(doc, dict):
    sys.exit(f"{path}: not a YAML mapping")
# YAML 1.1 reads the key `on` as the boolean true
if "on" not in doc and True not in doc:
    errors.append("no 'on' trigger")
jobs = doc.get("jobs")
if not isinstance(jobs, dict) or not jobs:
    errors.append("no jobs")
else:
    for name, job in jobs.items():
        if "runs-on" not in job or not isinstance(job.get("steps"), list):
            errors.append(f"job {name}: needs runs-on and a list of steps")
        for step in job.get("steps", []):
            if "run" not in step and "uses" not in step:
                errors.append(f"job {name}: step {step.get('name')} has neither run nor uses")
text = open(path).read()
for needle in ("compare", "speedup", "--metric normalized", "--metric instructions",
               "--count instructions", "--format markdown", "GITHUB_STEP_SUMMARY",
               "actions/cache/restore", "actions/cache/save", "history check", "history add",
               "history publish -o site", "--format gab", "--format bmf",
               "actions/upload-pages-artifact", "actions/deploy-pages", "CONCBENCH_MACHINE"):
    if needle not in text:
        errors.append(f"does not use {needle}")
if errors:
    sys.exit(f"{path}: " + "; ".join(errors))
print(f"{path}: valid YAML, {len(jobs)} job(s)")
PY
