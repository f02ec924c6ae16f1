"""`make install` leaves the tree the README describes: the binary (which runs and knows its
version), the .env example and the migrations, and nothing of the tests. Also checks that
-DJOBSYNC_BUILD_TESTS=OFF configures the service alone.

usage: check_install.py SOURCE_DIR BUILD_DIR VERSION"""
import os
import subprocess
import sys
import tempfile

from deploy_common import check, finish, install_tree

source_dir, build_dir, version = sys.argv[1:4]

for prefix in ("/usr/local", "/opt/job-sync"):
    temp, root = install_tree(build_dir, prefix)
    with temp:
        base = root + prefix
        installed = sorted(os.path.relpath(os.path.join(d, f), root)
                           for d, _, files in os.walk(root) for f in files)
        schema = sorted(f for f in os.listdir(os.path.join(source_dir, "schema"))
                        if f.endswith(".sql"))
        expected = sorted([prefix.lstrip("/") + "/bin/job-sync",
                           prefix.lstrip("/") + "/share/job-sync/env/.env.example"] +
                          [prefix.lstrip("/") + "/share/job-sync/schema/" + f for f in schema])
        check(installed == expected,
              f"installed files under {prefix}:\n  {installed}\nexpected\n  {expected}")
        binary = base + "/bin/job-sync"
        check(os.access(binary, os.X_OK), f"{binary} is not executable")
        run = subprocess.run([binary, "--version"], capture_output=True, text=True)
        check(run.returncode == 0 and run.stdout == f"job-sync {version}\n",
              f"--version printed {run.stdout!r} (exit {run.returncode}), "
              f"expected 'job-sync {version}'")
        run = subprocess.run([binary, "sync", "--help"], capture_output=True, text=True)
        check(run.returncode == 0 and "--metrics-file" in run.stdout,
              "the installed binary's `sync --help` fails or lacks --metrics-file")
        # With no configuration at all it refuses with exit 2 and names what is missing.
        run = subprocess.run([binary, "sync"], capture_output=True, text=True,
                             cwd=root, env={"PATH": "/usr/bin:/bin"})
        check(run.returncode == 2 and "SUPABASE_URL is not set" in run.stderr,
              f"unconfigured run: exit {run.returncode}, stderr {run.stderr[:200]!r}")
        for name in schema:
            with open(os.path.join(source_dir, "schema", name), "rb") as a, \
                 open(base + "/share/job-sync/schema/" + name, "rb") as b:
                check(a.read() == b.read(), f"installed {name} differs from schema/{name}")

# The service alone: configuring without the tests needs neither Boost, libpq nor ../shared.
with tempfile.TemporaryDirectory(prefix="job-sync-notests-") as tree:
    run = subprocess.run(["cmake", "-S", source_dir, "-B", tree, "-DJOBSYNC_BUILD_TESTS=OFF",
                          "-DJOBSYNC_FIXTURES_DIR=/nonexistent"],
                         capture_output=True, text=True)
    check(run.returncode == 0, "configuring with -DJOBSYNC_BUILD_TESTS=OFF failed:\n" +
          run.stdout[-2000:] + run.stderr[-2000:])
    if run.returncode == 0:
        targets = subprocess.run(["cmake", "--build", tree, "--target", "help"],
                                 capture_output=True, text=True).stdout
        check("job-sync" in targets, "no job-sync target without the tests")
        for test_target in ("unit-sync", "integration-service", "rest-gateway", "local-run"):
            check(test_target not in targets, f"{test_target} is a target without the tests")

finish("install")
