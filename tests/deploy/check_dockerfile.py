"""The Dockerfile and .dockerignore, checked without a container engine (none runs in CI):
the stages, what the runtime image installs (the shared libraries the binary links, and no
compiler), its user, entrypoint and command, that no secret is baked in, and that the build
context .dockerignore leaves is enough to configure the service.

usage: check_dockerfile.py SOURCE_DIR BUILD_DIR"""
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from deploy_common import check, finish, leaked_secrets

source_dir, build_dir = sys.argv[1:3]
deps_script = os.path.join(source_dir, "tests/scripts/install-deps.sh")


def instructions(text):
    """(keyword, arguments) for each instruction, continuation lines joined, comments dropped."""
    result, current = [], ""
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if current and line.lstrip().startswith("#"):
            continue
        current += line.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        keyword, _, arguments = current.strip().partition(" ")
        result.append((keyword.upper(), arguments.strip()))
        current = ""
    return result


def stages(parsed):
    """[(name, base image, [instructions])] in order."""
    result = []
    for keyword, arguments in parsed:
        if keyword == "FROM":
            words = arguments.split()
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else ""
            result.append((name, words[0], []))
        else:
            check(bool(result), f"{keyword} before the first FROM")
            result[-1][2].append((keyword, arguments))
    return result


def package_list(*options):
    run = subprocess.run(["bash", deps_script, "--list", *options], capture_output=True,
                         text=True, check=True)
    return run.stdout.split()


with open(os.path.join(source_dir, "Dockerfile")) as f:
    dockerfile = f.read()
parsed = instructions(dockerfile)
all_stages = stages(parsed)
check([(n, b) for n, b, _ in all_stages] == [("build", "debian:12"),
                                               ("runtime", "debian:12-slim")],
      f"stages are {[(n, b) for n, b, _ in all_stages]}, expected build on debian:12 and "
      "runtime on debian:12-slim")
check(not leaked_secrets(dockerfile), "something like a key in the Dockerfile")
for keyword, arguments in parsed:
    if keyword in ("ENV", "ARG"):
        name = re.split(r"[= ]", arguments, 1)[0].upper()
        check(not re.search(r"KEY|SECRET|TOKEN|PASSWORD", name),
              f"{keyword} {name}: secrets are given at run time, never baked into the image")
    if keyword in ("COPY", "ADD"):
        check(".env " not in arguments + " " and not arguments.split()[0].endswith(".env"),
              f"{keyword} {arguments}: a .env file must not go into the image")

build = dict((n, ins) for n, _, ins in all_stages).get("build", [])
runtime = dict((n, ins) for n, _, ins in all_stages).get("runtime", [])
build_runs = " ".join(a for k, a in build if k == "RUN")
check("install-deps.sh --service" in build_runs,
      "the build stage installs its packages with install-deps.sh --service (one package list)")
check(re.search(r"\bmake install\b", build_runs) and "-DJOBSYNC_BUILD_TESTS=OFF" in build_runs,
      "the build stage runs `make install` with -DJOBSYNC_BUILD_TESTS=OFF")

# The runtime stage: packages only through install-deps.sh --runtime, and none of them a
# compiler, a build tool or a -dev package.
runtime_runs = [a for k, a in runtime if k == "RUN"]
check(any("install-deps.sh --runtime" in r for r in runtime_runs),
      "the runtime stage installs its libraries with install-deps.sh --runtime")
for r in runtime_runs:
    check(not re.search(r"apt-get\s+install|apt\s+install", r),
          f"the runtime stage installs packages outside install-deps.sh: {r[:80]}")
    check("rm -rf /var/lib/apt/lists" in r or "install-deps" not in r,
          "the runtime stage leaves the apt lists in the image")
runtime_packages = package_list("--runtime")
build_tools = re.compile(r"^(g\+\+|gcc|clang|cpp|cmake|make|build-essential|binutils)(-\d+)?$|-dev$")
for package in runtime_packages:
    check(not build_tools.search(package), f"runtime package {package} is a build tool")
check("ca-certificates" in runtime_packages, "the runtime image needs ca-certificates for TLS")
for keyword, arguments in runtime:
    if keyword == "COPY" and "--from=" in arguments:
        check("--from=build" in arguments and "/staging/" in arguments,
              f"the runtime stage copies more than the installed tree: COPY {arguments}")

users = [a for k, a in runtime if k == "USER"]
check(len(users) == 1 and users[0].split(":")[0] not in ("root", "0"),
      f"the runtime stage runs as a non-root USER (got {users})")
check(users and re.fullmatch(r"\d+(:\d+)?", users[0]) is not None,
      "USER is numeric so Kubernetes' runAsNonRoot can check it")
entry = [a for k, a in runtime if k == "ENTRYPOINT"]
cmd = [a for k, a in runtime if k == "CMD"]
check(entry and json.loads(entry[-1]) == ["job-sync"], f"ENTRYPOINT is {entry}")
check(cmd and json.loads(cmd[-1]) == ["sync"], f"CMD is {cmd}")

# Every library the built binary links is in the runtime packages or what apt pulls in with
# them (dpkg and apt-cache answer for this Debian 12 machine, as for the image).
if shutil.which("dpkg") and shutil.which("apt-cache"):
    closure = set(subprocess.run(
        ["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
         "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", "--no-pre-depends",
         *runtime_packages], capture_output=True, text=True).stdout.split())
    closure |= set(runtime_packages)
    ldd = subprocess.run(["ldd", os.path.join(build_dir, "job-sync")], capture_output=True,
                         text=True).stdout
    for path in re.findall(r"=> (/\S+)", ldd):
        owners = ""
        for candidate in (path, os.path.realpath(path), re.sub(r"^/usr/lib/", "/lib/", path),
                          re.sub(r"^/lib/", "/usr/lib/", path)):
            found = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if found.returncode == 0:
                owners = found.stdout.split(":")[0]
                break
        check(owners != "", f"no Debian package owns {path}")
        if owners:
            check(owners in closure,
                  f"job-sync links {os.path.basename(path)} from {owners}, which the runtime "
                  "packages do not bring")
else:
    print("dpkg/apt-cache not found: the runtime libraries were not checked against ldd")

# .dockerignore: Docker's rules (patterns from the context root, `**`, `!` re-includes, the
# last matching pattern wins).
with open(os.path.join(source_dir, ".dockerignore")) as f:
    patterns = [l.strip() for l in f if l.strip() and not l.lstrip().startswith("#")]


def pattern_matches(pattern, path):
    pattern = pattern.rstrip("/")
    regex = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            regex, i = regex + "(.*/)?", i + 3
        elif pattern.startswith("**", i):
            regex, i = regex + ".*", i + 2
        else:
            part = fnmatch.translate(pattern[i])[4:-3]  # fnmatch's regex of one character
            regex, i = regex + (part.replace(".*", "[^/]*") if pattern[i] == "*" else part), i + 1
    # A pattern naming a folder excludes everything under it.
    return re.fullmatch(regex + "(/.*)?", path) is not None


def ignored(path):
    result = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        if pattern_matches(pattern.lstrip("!"), path):
            result = not negated
    return result


for path in (".env", "build/job-sync", "build-asan/x", ".git/HEAD", "tests/conformance/x",
             "tests/conformance/node_modules/a/b.js", "deploy/systemd/job-sync.service",
             "sub/.env"):
    check(ignored(path), f".dockerignore lets {path} into the build context")
tracked = subprocess.run(["git", "-C", source_dir, "ls-files"], capture_output=True,
                         text=True).stdout.split()
needed = ["CMakeLists.txt", "Makefile", "cmake/StandardSettings.cmake", "env/.env.example",
          "tests/scripts/install-deps.sh", "Dockerfile"]
needed += [p for p in tracked if p.startswith(("service/", "schema/"))]
for path in needed:
    check(not ignored(path), f".dockerignore leaves out {path}, which the image build needs")

# The build context .dockerignore leaves is enough to configure the service without tests.
if tracked:
    with tempfile.TemporaryDirectory(prefix="job-sync-context-") as context:
        for path in tracked:
            if not ignored(path) and os.path.exists(os.path.join(source_dir, path)):
                os.makedirs(os.path.dirname(os.path.join(context, path)) or context,
                            exist_ok=True)
                shutil.copy2(os.path.join(source_dir, path), os.path.join(context, path))
        run = subprocess.run(["cmake", "-S", context, "-B", os.path.join(context, "b"),
                              "-DJOBSYNC_BUILD_TESTS=OFF"], capture_output=True, text=True)
        check(run.returncode == 0, "the docker build context does not configure:\n" +
              run.stdout[-1500:] + run.stderr[-1500:])

finish("dockerfile")
