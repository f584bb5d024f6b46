"""Shared fixtures: the repository, the slipcast command line to compare
against, and a fixed generation time for byte-identical outputs."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "data" / "examples"
#: Where pytest was started: a relative SLIPCAST_BIN is relative to it.
STARTED_IN = Path.cwd()
INVALID = Path(__file__).resolve().parent / "data" / "invalid"

#: Every output is dated by SOURCE_DATE_EPOCH when it is set, in the CLI and
#: in Python alike: with it fixed, the two are comparable byte for byte.
EPOCH = "1798761600"


@pytest.fixture(autouse=True)
def fixed_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def cli_path() -> Path:
    """The command line built from this checkout: SLIPCAST_BIN, else the
    newest of target/release and target/debug."""
    given = os.environ.get("SLIPCAST_BIN")
    if given:
        return (STARTED_IN / given).resolve()
    found = [p for p in (ROOT / "target" / d / "slipcast" for d in ("release", "debug")) if p.exists()]
    if not found:
        pytest.skip("no slipcast binary: run `cargo build` first, or set SLIPCAST_BIN")
    return max(found, key=lambda p: p.stat().st_mtime)


class Cli:
    def __init__(self, path: Path):
        self.path = path

    def run(self, *args, cwd=ROOT, check=True):
        env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
        out = subprocess.run(
            [str(self.path), *map(str, args)], cwd=cwd, env=env, capture_output=True
        )
        if check and out.returncode != 0:
            raise AssertionError(f"slipcast {' '.join(map(str, args))} failed:\n{out.stderr.decode()}")
        return out

    def json_text(self, *args, cwd=ROOT) -> str:
        return self.run(*args, "--json", "--quiet", cwd=cwd).stdout.decode()

    def json(self, *args, cwd=ROOT):
        return json.loads(self.json_text(*args, cwd=cwd))


@pytest.fixture(scope="session")
def cli() -> Cli:
    return Cli(cli_path())


@pytest.fixture
def in_root(monkeypatch):
    """Runs the test from the repository root, as the CLI runs are."""
    monkeypatch.chdir(ROOT)
    return ROOT
