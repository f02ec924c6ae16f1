"""Shared helpers of the deploy/ checks (run by CTest with /usr/bin/python3)."""
import os
import re
import subprocess
import sys
import tempfile

FAILURES = []


def check(condition, message):
    """Records a failed expectation; the script exits non-zero at the end if any failed."""
    if not condition:
        FAILURES.append(message)
        print("FAIL: " + message)
    return condition


def finish(name):
    if FAILURES:
        print(f"{name}: {len(FAILURES)} check(s) failed")
        sys.exit(1)
    print(f"{name}: all checks passed")


def seconds(text):
    """A duration as job-sync (30m, 90s, 1h) or systemd (35min, 45s, 1h 5min) write it."""
    units = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600}
    total = 0
    parts = re.findall(r"(\d+)\s*([a-z]*)", str(text).strip())
    if not parts or re.sub(r"[\d\sa-z]", "", str(text).strip()):
        raise ValueError(f"not a duration: {text!r}")
    for number, unit in parts:
        if unit not in units and unit != "":
            raise ValueError(f"unknown unit in {text!r}")
        total += int(number) * units.get(unit or "s")
    return total


def install_tree(build_dir, prefix="/usr/local"):
    """`cmake --install` of the build into a fresh DESTDIR; returns (tempdir object, root)."""
    temp = tempfile.TemporaryDirectory(prefix="job-sync-install-")
    env = dict(os.environ, DESTDIR=temp.name)
    subprocess.run(["cmake", "--install", build_dir, "--prefix", prefix], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return temp, temp.name


# What a leaked key would look like: a JWT, a Supabase secret key, a RapidAPI-like hex key.
SECRET_PATTERNS = [re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
                   re.compile(r"sb_secret_[A-Za-z0-9]{8,}"),
                   re.compile(r"\b[0-9a-f]{40,}\b")]


def leaked_secrets(text):
    return [m.group(0)[:12] + "…" for p in SECRET_PATTERNS for m in p.finditer(text)]
