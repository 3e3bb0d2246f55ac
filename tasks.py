#!/usr/bin/env python3
"""Developer tasks that need nothing but python3: set up, run the demo, run the tests.

    python3 tasks.py demo    # create .venv if missing, install dautu, run `dautu demo`
    python3 tasks.py test    # create .venv if missing, install dautu[dev], run the test suite
    python3 tasks.py lint    # ruff check, ruff format --check, mypy --strict
    python3 tasks.py ci      # lint + test, as .ci/run does

Why a script and not a Makefile: the first two commands of the README must work on a machine
with only python3. The test task also starts a throwaway PostgreSQL server when the PostgreSQL
binaries are installed and ``DAUTU_TEST_POSTGRES_URL`` is not set, so the PostgreSQL tests run
against a real server rather than being skipped.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("DAUTU_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
EXTRA_PACKAGES = [ROOT / "examples" / "dautu-jsonl"]


def _run(*args: str | Path, env: dict[str, str] | None = None) -> int:
    return subprocess.call([str(a) for a in args], cwd=ROOT, env=env)


def _check(*args: str | Path) -> None:
    code = _run(*args)
    if code != 0:
        sys.exit(code)


def setup(extras: str) -> None:
    """Create the virtualenv and install dautu (editable) when its inputs changed."""
    inputs = hashlib.sha256()
    for path in [ROOT / "pyproject.toml", *[p / "pyproject.toml" for p in EXTRA_PACKAGES]]:
        if path.exists():
            inputs.update(path.read_bytes())
    inputs.update(extras.encode())
    stamp = VENV / f".installed-{extras or 'base'}"
    if stamp.exists() and stamp.read_text() == inputs.hexdigest():
        return
    if not PY.exists():
        print(f"creating virtualenv {VENV}", flush=True)
        _check(sys.executable, "-m", "venv", VENV)
        _check(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    args: list[str | Path] = [PY, "-m", "pip", "install", "--quiet", "-e", target]
    if extras == "dev":
        args += [arg for p in EXTRA_PACKAGES if p.exists() for arg in ("-e", str(p))]
    print(f"installing dautu{f'[{extras}]' if extras else ''} into {VENV}", flush=True)
    _check(*args)
    stamp.write_text(inputs.hexdigest())


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[str | None]:
    """Start a private PostgreSQL cluster for the tests; yield its URL (None if unavailable)."""
    if os.environ.get("DAUTU_TEST_POSTGRES_URL"):
        yield os.environ["DAUTU_TEST_POSTGRES_URL"]
        return
    bindir = _postgres_bin()
    if bindir is None:
        print("PostgreSQL is not installed: PostgreSQL tests will be skipped", flush=True)
        yield None
        return
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    datadir = Path(tempfile.mkdtemp(prefix="dautu-pg-"))
    if as_root:
        shutil.chown(datadir, "postgres")
    port = str(54329 + os.getpid() % 500)
    run_pg = [*prefix]
    subprocess.run(
        [*run_pg, bindir / "initdb", "-D", datadir, "-U", "dautu", "--auth=trust", "-E", "UTF8"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    log = datadir / "server.log"
    subprocess.run(
        [
            *run_pg,
            bindir / "pg_ctl",
            "-D",
            datadir,
            "-l",
            log,
            "-o",
            f"-p {port} -k {datadir} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-w",
            "start",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            probe = subprocess.run(
                [bindir / "pg_isready", "-h", "127.0.0.1", "-p", port], capture_output=True
            )
            if probe.returncode == 0:
                break
            time.sleep(0.2)
        subprocess.run(
            [bindir / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "dautu", "dautu_test"],
            check=True,
        )
        yield f"postgresql://dautu@127.0.0.1:{port}/dautu_test"
    finally:
        subprocess.run(
            [*run_pg, bindir / "pg_ctl", "-D", datadir, "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(datadir, ignore_errors=True)


def test(pytest_args: list[str]) -> int:
    setup("dev")
    with throwaway_postgres() as url:
        env = dict(os.environ)
        if url:
            env["DAUTU_TEST_POSTGRES_URL"] = url
        code = _run(PY, "-m", "pytest", *pytest_args, env=env)
    if code == 5:
        print("no tests were collected: treating as a failure", flush=True)
        return 1
    return code


def lint() -> int:
    setup("dev")
    failures = 0
    for args in (
        ["-m", "ruff", "check", "src", "tests", "examples", "benchmarks", "tasks.py"],
        ["-m", "ruff", "format", "--check", "src", "tests", "examples", "benchmarks", "tasks.py"],
        ["-m", "mypy", "--strict", "src", "benchmarks"],
    ):
        failures += _run(PY, *args) != 0
    return 1 if failures else 0


def demo(args: list[str]) -> int:
    setup("")
    return _run(BIN / "dautu", "demo", *args)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    task, rest = argv[0], argv[1:]
    if task == "demo":
        return demo(rest)
    if task == "test":
        return test(rest)
    if task == "lint":
        return lint()
    if task == "ci":
        return lint() or test(rest)
    if task == "setup":
        setup("dev")
        return 0
    print(f"unknown task {task!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
