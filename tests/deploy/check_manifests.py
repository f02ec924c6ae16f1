"""deploy/: the Kubernetes CronJob, the GitHub Actions workflow and the systemd units, checked
with what Debian ships: PyYAML (python3-yaml) for the YAML and `systemd-analyze verify` for
the units (against a root holding the installed binary), plus the rules that keep them in step
with the service: time limits matched to JOBSYNC_DEADLINE, keys only from secrets.

usage: check_deploy.py SOURCE_DIR BUILD_DIR VERSION"""
import configparser
import os
import re
import shutil
import subprocess
import sys

import yaml

from deploy_common import check, finish, install_tree, leaked_secrets, seconds

source_dir, build_dir, version = sys.argv[1:4]
deploy = os.path.join(source_dir, "deploy")
KEYS = ("SUPABASE_SERVICE_ROLE_KEY", "JSEARCH_API_KEY")
DEFAULT_HTTP_TIMEOUT = 30


def read(path):
    with open(os.path.join(deploy, path)) as f:
        return f.read()


def dockerfile_uid():
    with open(os.path.join(source_dir, "Dockerfile")) as f:
        users = re.findall(r"^USER\s+(\d+)", f.read(), re.M)
    return int(users[-1]) if users else None


# --- Kubernetes ---------------------------------------------------------------------------
text = read("kubernetes/cronjob.yaml")
docs = [d for d in yaml.safe_load_all(text) if d]
kinds = sorted(d.get("kind") for d in docs)
check(kinds == ["ConfigMap", "CronJob"], f"kubernetes/cronjob.yaml holds {kinds}")
check(not leaked_secrets(text), "something like a key in cronjob.yaml")
check("Secret" not in kinds, "a Secret with its data inline in the repository")
config = next((d for d in docs if d.get("kind") == "ConfigMap"), {})
cron = next((d for d in docs if d.get("kind") == "CronJob"), {})
for key in KEYS:
    check(key not in (config.get("data") or {}), f"{key} in a ConfigMap: keys go in a Secret")

check(cron.get("apiVersion") == "batch/v1", "CronJob apiVersion is batch/v1")
spec = cron.get("spec", {})
check(len(str(spec.get("schedule", "")).split()) == 5, "CronJob schedule has five fields")
check(spec.get("concurrencyPolicy") == "Forbid", "concurrencyPolicy is Forbid")
check(isinstance(spec.get("startingDeadlineSeconds"), int) and spec["startingDeadlineSeconds"] > 0,
      "startingDeadlineSeconds is set")
job = spec.get("jobTemplate", {}).get("spec", {})
pod = job.get("template", {}).get("spec", {})
check(pod.get("restartPolicy") == "Never", "restartPolicy is Never")
check(job.get("backoffLimit") == 0, "backoffLimit is 0 (a retry spends quota)")
containers = pod.get("containers", [])
check(len(containers) == 1, "one container")
container = containers[0] if containers else {}
check(container.get("image", "").endswith(":" + version),
      f"the image tag is the project version {version}: {container.get('image')}")
args = container.get("args", [])
check(args[:1] == ["sync"], f"the container runs `sync`: args {args}")

env = {e["name"]: e for e in container.get("env", [])}
for key in KEYS:
    entry = env.get(key, {})
    ref = entry.get("valueFrom", {}).get("secretKeyRef", {})
    from_secret_envfrom = any("secretRef" in s for s in container.get("envFrom", []))
    check("value" not in entry, f"{key} has an inline value")
    check(bool(ref.get("name")) and ref.get("key") == key or from_secret_envfrom,
          f"{key} does not come from a Secret (secretKeyRef or envFrom secretRef)")

deadline_text = env.get("JOBSYNC_DEADLINE", {}).get("value")
if "--deadline" in args:
    deadline_text = args[args.index("--deadline") + 1]
check(deadline_text is not None, "the container sets JOBSYNC_DEADLINE (or --deadline)")
deadline = seconds(deadline_text or "30m")
http_timeout = int((config.get("data") or {}).get("JOBSYNC_HTTP_TIMEOUT_SECONDS",
                                                  DEFAULT_HTTP_TIMEOUT))
active = job.get("activeDeadlineSeconds", 0)
grace = pod.get("terminationGracePeriodSeconds", 30)
check(deadline < active <= deadline + 900,
      f"activeDeadlineSeconds {active} must leave the service's deadline ({deadline} s) to fire "
      "first, by at most 15 minutes")
check(http_timeout + 10 <= grace <= 120,
      f"terminationGracePeriodSeconds {grace} must cover the last request after SIGTERM "
      f"(HTTP timeout {http_timeout} s + 10 s) and stay short")

resources = container.get("resources", {})
for part in ("requests", "limits"):
    for resource in ("cpu", "memory"):
        check(resource in resources.get(part, {}), f"resources.{part}.{resource} is set")


def mebibytes(quantity):
    number, unit = re.fullmatch(r"(\d+)(Mi|Gi)", str(quantity)).groups()
    return int(number) * (1024 if unit == "Gi" else 1)


if "memory" in resources.get("limits", {}) and "memory" in resources.get("requests", {}):
    # The measured peak of the largest run (README, "Resources") is 75 MB.
    check(mebibytes(resources["requests"]["memory"]) >= 72, "the memory request is under the "
          "measured peak of 75 MB")
    check(mebibytes(resources["limits"]["memory"]) >= 2 * mebibytes(resources["requests"]["memory"])
          or mebibytes(resources["limits"]["memory"]) >= 256, "the memory limit leaves no room")
security = pod.get("securityContext", {})
check(security.get("runAsNonRoot") is True, "runAsNonRoot")
check(security.get("runAsUser") == dockerfile_uid(),
      f"runAsUser {security.get('runAsUser')} is not the image's USER {dockerfile_uid()}")
check(container.get("securityContext", {}).get("readOnlyRootFilesystem") is True,
      "readOnlyRootFilesystem")

# --- GitHub Actions -----------------------------------------------------------------------
text = read("github-actions/job-sync.yml")
workflow = yaml.safe_load(text)
check(not leaked_secrets(text), "something like a key in the workflow")
triggers = workflow.get("on", workflow.get(True, {}))  # YAML 1.1 reads a bare `on` as true
crons = [s.get("cron") for s in triggers.get("schedule", [])]
check(len(crons) == 1 and len(str(crons[0]).split()) == 5, f"one schedule cron: {crons}")
concurrency = workflow.get("concurrency", {})
check(bool(concurrency.get("group")), "the workflow has a concurrency group")
check(concurrency.get("cancel-in-progress") is False, "cancel-in-progress is false")
check(workflow.get("permissions") == {"contents": "read"}, "permissions are contents: read")
sync_job = workflow.get("jobs", {}).get("sync", {})
wf_deadline = seconds(sync_job.get("env", {}).get("JOBSYNC_DEADLINE", "30m"))
check("JOBSYNC_DEADLINE" in sync_job.get("env", {}), "the workflow sets JOBSYNC_DEADLINE")
check(sync_job.get("timeout-minutes", 0) * 60 > wf_deadline + 300,
      "timeout-minutes must leave the deadline and the image build time to finish")
for step in sync_job.get("steps", []):
    for name, value in (step.get("env") or {}).items():
        if name in KEYS:
            check(value == "${{ secrets.%s }}" % name,
                  f"{name} is not taken from the repository secret: {value}")
    run = step.get("run", "")
    check("secrets." not in run, "a secret expanded into a shell command line")
    for key in KEYS:
        if key in run:
            check(re.search(r"-e %s(\s|$)" % key, run) is not None,
                  f"{key} handed to docker other than by name (-e {key})")
check(any(k in (s.get("env") or {}) for s in sync_job.get("steps", []) for k in KEYS),
      "the workflow never passes the keys")

# --- systemd ------------------------------------------------------------------------------
service_text = read("systemd/job-sync.service")
timer_text = read("systemd/job-sync.timer")


def unit(text):
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str
    parser.read_string(text)
    return parser


service = unit(service_text)
timer = unit(timer_text)
s = service["Service"] if service.has_section("Service") else {}
check(s.get("Type") == "oneshot", "Type=oneshot")
check(s.get("EnvironmentFile", "").startswith("/etc/"), "EnvironmentFile= under /etc")
for setting, value in (("DynamicUser", "yes"), ("NoNewPrivileges", "yes"),
                       ("ProtectSystem", "strict"), ("ProtectHome", "yes"),
                       ("PrivateTmp", "yes")):
    check(s.get(setting) == value, f"{setting}={value}")
check(s.get("ExecStart", "").startswith("/usr/local/bin/job-sync sync"),
      "ExecStart runs the installed /usr/local/bin/job-sync sync")
unit_deadline = re.search(r"JOBSYNC_DEADLINE=(\S+)", s.get("Environment", ""))
check(unit_deadline is not None, "the unit sets Environment=JOBSYNC_DEADLINE")
unit_deadline = seconds(unit_deadline.group(1)) if unit_deadline else 1800
start_timeout = seconds(s.get("TimeoutStartSec", "0"))
stop_timeout = seconds(s.get("TimeoutStopSec", "90s"))
check(unit_deadline < start_timeout <= unit_deadline + 900,
      f"TimeoutStartSec ({start_timeout} s) must leave the deadline ({unit_deadline} s) to "
      "fire first, by at most 15 minutes")
check(DEFAULT_HTTP_TIMEOUT + 10 <= stop_timeout <= 120,
      f"TimeoutStopSec ({stop_timeout} s) must cover the last request after SIGTERM")
check(unit_deadline == deadline == wf_deadline,
      "Kubernetes, GitHub Actions and systemd use the same deadline")
t = timer["Timer"] if timer.has_section("Timer") else {}
check(t.get("Persistent") == "true", "Persistent=true")
check(bool(t.get("RandomizedDelaySec")), "RandomizedDelaySec is set")
check(bool(t.get("OnCalendar")), "OnCalendar is set")
check(timer.has_section("Install") and timer["Install"].get("WantedBy") == "timers.target",
      "the timer is WantedBy=timers.target")
check(not leaked_secrets(service_text + timer_text), "something like a key in the units")

analyze = shutil.which("systemd-analyze")
if analyze:
    # A root with the installed binary (ExecStart must exist) and the host's own units
    # (sysinit.target and friends); any warning fails.
    temp, root = install_tree(build_dir)
    with temp:
        units = os.path.join(root, "etc/systemd/system")
        os.makedirs(units)
        for name in ("job-sync.service", "job-sync.timer"):
            shutil.copy(os.path.join(deploy, "systemd", name), units)
        for system_units in ("/usr/lib/systemd/system", "/lib/systemd/system"):
            if os.path.isdir(system_units):
                shutil.copytree(system_units, os.path.join(root, "usr/lib/systemd/system"),
                                symlinks=True)
                break
        run = subprocess.run([analyze, "verify", "--man=no", "--root=" + root,
                              "job-sync.service", "job-sync.timer"],
                             capture_output=True, text=True)
        output = (run.stdout + run.stderr).strip()
        check(run.returncode == 0 and not output,
              f"systemd-analyze verify (exit {run.returncode}):\n{output}")
        run = subprocess.run([analyze, "calendar", t.get("OnCalendar", "")],
                             capture_output=True, text=True)
        check(run.returncode == 0, f"systemd-analyze calendar refuses {t.get('OnCalendar')}")
        print("systemd-analyze verify: ran")
else:
    print("systemd-analyze not found: systemd units checked by the parser only")

finish("manifests")
