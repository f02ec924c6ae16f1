"""deploy/: the sharded recipes (issue 11), checked with PyYAML: a CronJob whose Job is an
Indexed Job with one run id for all its pods, and a GitHub Actions matrix with the same
semantics. Both must shard the way `job-sync sync` expects (--shards N with N completions,
--shard I/N with N matrix entries) and take keys only from secrets.

usage: check_sharded.py SOURCE_DIR BUILD_DIR VERSION"""
import os
import re
import sys

import yaml

from deploy_common import check, finish, leaked_secrets

source_dir, build_dir, version = sys.argv[1:4]
deploy = os.path.join(source_dir, "deploy")
KEYS = ("SUPABASE_SERVICE_ROLE_KEY", "JSEARCH_API_KEY")
JOB_NAME_LABEL = "batch.kubernetes.io/job-name"


def read(path):
    with open(os.path.join(deploy, path)) as f:
        return f.read()


def option(args, name):
    return args[args.index(name) + 1] if name in args[:-1] else None


# --- Kubernetes: CronJob -> Indexed Job ---------------------------------------------------
text = read("kubernetes/cronjob-sharded.yaml")
docs = [d for d in yaml.safe_load_all(text) if d]
check(sorted(d.get("kind") for d in docs) == ["ConfigMap", "CronJob"],
      "cronjob-sharded.yaml holds a ConfigMap and a CronJob")
check(not leaked_secrets(text), "something like a key in cronjob-sharded.yaml")
config = next((d for d in docs if d.get("kind") == "ConfigMap"), {})
for key in KEYS:
    check(key not in (config.get("data") or {}), f"{key} in a ConfigMap: keys go in a Secret")
cron = next((d for d in docs if d.get("kind") == "CronJob"), {})
spec = cron.get("spec", {})
check(spec.get("concurrencyPolicy") == "Forbid", "concurrencyPolicy is Forbid")
job = spec.get("jobTemplate", {}).get("spec", {})
check(job.get("completionMode") == "Indexed", "the Job is an Indexed Job")
shards = job.get("completions")
check(isinstance(shards, int) and shards > 1, f"completions {shards}: more than one shard")
check(job.get("parallelism") == shards, "parallelism equals completions: every shard at once")
check(isinstance(job.get("backoffLimitPerIndex"), int) and job["backoffLimitPerIndex"] >= 1,
      "backoffLimitPerIndex retries a failed shard on its own")
check("backoffLimit" not in job, "backoffLimit would count every index's failures together")
check(job.get("maxFailedIndexes") is None,
      "maxFailedIndexes unset: the other shards finish upserting when one failed for good")
rules = (job.get("podFailurePolicy") or {}).get("rules", [])
fail_index = [r for r in rules if r.get("action") == "FailIndex"]
codes = set(fail_index[0].get("onExitCodes", {}).get("values", [])) if fail_index else set()
check({2, 3, 5, 6} <= codes and 0 not in codes and 1 not in codes,
      f"podFailurePolicy fails the index at once on 2, 3, 5, 6 and retries 1: {sorted(codes)}")
pod = job.get("template", {}).get("spec", {})
check(pod.get("restartPolicy") == "Never", "restartPolicy Never (required by podFailurePolicy)")
containers = pod.get("containers", [])
check(len(containers) == 1, "one container")
container = containers[0] if containers else {}
check(container.get("image", "").endswith(":" + version), f"the image tag is {version}")
args = [str(a) for a in container.get("args", [])]
check(args[:1] == ["sync"], f"the container runs `sync`: {args}")
check(option(args, "--shards") == str(shards),
      f"--shards {option(args, '--shards')} matches completions {shards}")
check("--shard" not in args and "--run-id" not in args,
      "the index and the run id come from the pod, not from fixed arguments")
lease = option(args, "--lease-seconds")
check(lease is not None and int(lease) >= 300,
      "--lease-seconds set, long enough to outlast the pod backoff between retries")
env = {e["name"]: e for e in container.get("env", [])}
run_id = env.get("JOBSYNC_RUN_ID", {}).get("valueFrom", {}).get("fieldRef", {})
check(run_id.get("fieldPath") == f"metadata.labels['{JOB_NAME_LABEL}']",
      "JOBSYNC_RUN_ID is the Job's name, from the pod's job-name label (downward API)")
for key in KEYS:
    entry = env.get(key, {})
    check("value" not in entry, f"{key} has an inline value")
    check(entry.get("valueFrom", {}).get("secretKeyRef", {}).get("key") == key,
          f"{key} comes from a Secret")
for source in container.get("envFrom", []):
    check("configMapRef" in source or source.get("secretRef", {}).get("optional") is True,
          "the per-shard keys come from an optional Secret")
check(any("secretRef" in s for s in container.get("envFrom", [])),
      "the per-shard keys (JSEARCH_API_KEY_<I>) can come from a Secret")
check(container.get("securityContext", {}).get("readOnlyRootFilesystem") is True,
      "readOnlyRootFilesystem")

# --- GitHub Actions: a matrix -------------------------------------------------------------
text = read("github-actions/job-sync-sharded.yml")
workflow = yaml.safe_load(text)
check(not leaked_secrets(text), "something like a key in the sharded workflow")
concurrency = workflow.get("concurrency", {})
check(bool(concurrency.get("group")) and concurrency.get("cancel-in-progress") is False,
      "one workflow run at a time, never cancelled mid-run")
check(workflow.get("permissions") == {"contents": "read"}, "permissions are contents: read")
sync_job = workflow.get("jobs", {}).get("sync", {})
strategy = sync_job.get("strategy", {})
matrix = strategy.get("matrix", {}).get("shard", [])
check(strategy.get("fail-fast") is False, "fail-fast false: one failed shard cancels no other")
check(matrix == list(range(len(matrix))) and len(matrix) > 1, f"matrix.shard is 0..N-1: {matrix}")
job_env = sync_job.get("env", {})
check(str(job_env.get("SHARDS")) == str(len(matrix)), "SHARDS matches the matrix")
check(job_env.get("JOBSYNC_RUN_ID") == "github-${{ github.run_id }}",
      "the run id is github.run_id (shared by the matrix, kept by re-runs of failed jobs)")
check("run_attempt" not in text.split("jobs:", 1)[-1],
      "run_attempt in the run id: a re-run of a failed shard would start another run")
steps = sync_job.get("steps", [])
runs = [s for s in steps if "--shard" in s.get("run", "")]
check(len(runs) == 1, "one step runs `sync --shard`")
for step in runs:
    run = step["run"]
    check(re.search(r'--shard "\$SHARD/\$SHARDS"', run) is not None, "--shard I/N from the matrix")
    check("secrets." not in run, "a secret expanded into a shell command line")
    for key in KEYS + ("JOBSYNC_RUN_ID",):
        check(re.search(r"-e %s(\s|$)" % key, run) is not None, f"{key} handed to docker by name")
    step_env = step.get("env") or {}
    check(step_env.get("SUPABASE_SERVICE_ROLE_KEY") == "${{ secrets.SUPABASE_SERVICE_ROLE_KEY }}",
          "the Supabase key comes from the repository secret")
    check(step_env.get("JSEARCH_API_KEY") ==
          "${{ secrets[format('JSEARCH_API_KEY_{0}', matrix.shard)] || secrets.JSEARCH_API_KEY }}",
          "each shard gets its own JSearch key secret, or the shared one")
    check(str(step_env.get("SHARD")) == "${{ matrix.shard }}", "SHARD is the matrix entry")

finish("sharded recipes")
