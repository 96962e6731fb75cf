"""The command line in general: random and hostile arguments to every offline command.

Whatever the arguments, a command exits 0, 1 with one ``Error:`` line or 2 (a
usage error), never with a traceback, and leaves the store and cache whole
(:mod:`tests.fuzz.harness`).  A few hostile inputs also run through the console
script in a subprocess, as a user runs it.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given

from tests.fuzz import fuzz_settings
from tests.fuzz.cases import CATEGORIES
from tests.fuzz.harness import (
    REPO,
    Case,
    InputFile,
    Outcome,
    Result,
    Sandbox,
    assert_survives,
    check_result,
    check_store,
    env_for,
)

pytestmark = pytest.mark.usefixtures("gazetteer_file", "no_network")


@fuzz_settings()
@given(case=CATEGORIES["cli"])
def test_random_arguments(case: Case) -> None:
    assert_survives(case)


SUBPROCESS_CASES = [
    ("poisoned.json", b'{"events":[{"event_id":"j2","event_date":"yesterday","latitude":34.9,'
                      b'"longitude":36.7,"fatalities":"lots"}]}'),
    ("huge.json", b'{"events":[{"event_id":"j3","event_date":"2015-09-30","latitude":34.9,'
                  b'"longitude":36.7,"fatalities":1e400}]}'),
    ("deep.json", b'{"events":' + b"[" * 200_000 + b"]" * 200_000 + b"}"),
    ("bytes.csv", bytes(range(256)) * 4),
]  # fmt: skip


@pytest.mark.parametrize("name, data", SUBPROCESS_CASES, ids=[c[0] for c in SUBPROCESS_CASES])
def test_console_script_on_hostile_files(name: str, data: bytes) -> None:
    """``python -m geomap ingest FILE`` as a user runs it, then the store checks."""
    outcome = Outcome("cli subprocess")
    with Sandbox() as box:
        box.write([InputFile(name, data)])
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), **env_for(box.data)}
        proc = subprocess.run([sys.executable, "-m", "geomap", "ingest", name], cwd=box.root,
                              env=env, capture_output=True, text=True, timeout=300)  # fmt: skip
        result = Result(["ingest", name], proc.returncode, proc.stdout, proc.stderr, None)
        check_result(result, outcome)
        check_store(box, outcome)
    assert outcome.ok, outcome.explain()


@fuzz_settings(share=0.3)  # a map takes seconds to write
@given(case=CATEGORIES["map input"])
def test_map_of_hostile_inputs(case: Case) -> None:
    """``geomap map -o m.html FILE``: ingests FILE first, reporting it as ingest does."""
    assert_survives(case)
