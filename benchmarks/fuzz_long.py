"""The long fuzz campaign: every category of ``tests/fuzz`` for as long as it is given.

    PYTHONPATH=. python benchmarks/fuzz_long.py --minutes 30

Runs the fuzz categories (:data:`tests.fuzz.cases.CATEGORIES`) round after round
with fresh random seeds (hypothesis, the ``long`` profile without its example
cap), each case in its own temporary data directory, checked as the CI suite
checks it (:mod:`tests.fuzz.harness`).  Unlike the tests it does not stop at
the first failure: it counts every case and prints a table (category, cases,
failures, tracebacks, data lost), the wall and CPU time and the machine's
load, then each distinct failure once with the smallest input that showed it.
``--json FILE`` also writes all of that as JSON.  Exit code 1 if anything
failed.  The network is refused for the whole run.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from hypothesis import given, settings  # noqa: E402

from tests.fuzz.cases import CATEGORIES  # noqa: E402
from tests.fuzz.harness import GAZETTEER, Case, Outcome, run_case  # noqa: E402


@dataclass
class Tally:
    """What one category gave."""

    cases: int = 0
    failures: int = 0
    tracebacks: int = 0
    lost: int = 0
    seconds: float = 0.0


@dataclass
class Finding:
    """One distinct failure: how often, and the smallest case that showed it."""

    kind: str
    message: str
    count: int = 0
    case: Case | None = None
    size: int = 0
    categories: set[str] = field(default_factory=set)


def _refuse_network() -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network access is disabled in the fuzz campaign")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]


def _signature(kind: str, message: str) -> str:
    """A failure message with its particulars (quoted values, numbers, file names) blanked."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", message)
    text = re.sub(r"\d+", "N", text)
    text = re.sub(r"(ingest|extract|import)( \S+)+:", r"\1 …:", text)
    return f"{kind}: {text[:160]}"


def _size(case: Case) -> int:
    return sum(len(f.data) for f in case.files) + sum(len(" ".join(c)) for c in case.commands)


class Campaign:
    def __init__(self, stop_at: float) -> None:
        self.stop_at = stop_at
        self.tallies = {name: Tally() for name in CATEGORIES}
        self.findings: dict[str, Finding] = {}

    def record(self, case: Case, outcome: Outcome) -> None:
        tally = self.tallies[case.category if case.category in self.tallies else "cli"]
        tally.cases += 1
        tally.failures += bool(outcome.failures)
        tally.tracebacks += bool(outcome.tracebacks)
        tally.lost += bool(outcome.lost)
        for kind, messages in (("traceback", outcome.tracebacks), ("failure", outcome.failures),
                               ("data lost", outcome.lost)):  # fmt: skip
            for message in messages:
                key = _signature(kind, message)
                found = self.findings.setdefault(key, Finding(kind, message))
                found.count += 1
                found.categories.add(case.category)
                if found.case is None or _size(case) < found.size:
                    found.case, found.size, found.message = case, _size(case), message

    def run_round(self, name: str, examples: int) -> None:
        tally = self.tallies[name]

        @settings(max_examples=examples, derandomize=False, parent=settings.get_profile("long"))
        @given(case=CATEGORIES[name])
        def body(case: Case) -> None:
            if time.monotonic() >= self.stop_at:
                return
            try:
                outcome = run_case(case)
            except Exception as exc:  # noqa: BLE001 - a harness failure is a finding too
                outcome = Outcome(case.category, failures=[f"harness: {exc!r}"])
            self.record(case, outcome)

        started = time.monotonic()
        try:
            body()
        except Exception as exc:  # noqa: BLE001 - a strategy that breaks is reported, not fatal
            key = f"harness: {type(exc).__name__}: {str(exc)[:200]}"
            self.findings.setdefault(key, Finding("harness", key)).count += 1
        tally.seconds += time.monotonic() - started


def _table(campaign: Campaign, names: list[str]) -> list[str]:
    head = f"{'category':<20} {'cases':>7} {'failures':>9} {'tracebacks':>11} {'data lost':>10}"
    lines = [head, "-" * len(head)]
    total = Tally()
    for name in names:
        t = campaign.tallies[name]
        lines.append(f"{name:<20} {t.cases:>7} {t.failures:>9} {t.tracebacks:>11} {t.lost:>10}")
        total.cases += t.cases
        total.failures += t.failures
        total.tracebacks += t.tracebacks
        total.lost += t.lost
    lines.append("-" * len(head))
    lines.append(f"{'total':<20} {total.cases:>7} {total.failures:>9} {total.tracebacks:>11} "
                 f"{total.lost:>10}")  # fmt: skip
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0, help="How long to run (default 30).")
    parser.add_argument("--round", type=int, default=10, help="Cases per category per round.")
    parser.add_argument("--category", action="append", choices=sorted(CATEGORIES),
                        help="Only this category (repeat for more).")  # fmt: skip
    parser.add_argument("--json", type=Path, default=None, help="Also write the results here.")
    args = parser.parse_args()
    if not GAZETTEER.exists():
        print(f"The gazetteer {GAZETTEER} is missing. Fix: run `make setup`.", file=sys.stderr)
        return 2
    _refuse_network()
    names = args.category or list(CATEGORIES)
    load_before = os.getloadavg()
    wall, cpu = time.monotonic(), time.process_time()
    campaign = Campaign(stop_at=wall + args.minutes * 60)
    rounds = 0
    while time.monotonic() < campaign.stop_at:
        for name in names:
            if time.monotonic() >= campaign.stop_at:
                break
            campaign.run_round(name, args.round)
        rounds += 1
    wall, cpu = time.monotonic() - wall, time.process_time() - cpu
    load_after = os.getloadavg()
    cases = sum(t.cases for t in campaign.tallies.values())

    print("\n".join(_table(campaign, names)))
    print(f"\n{cases} cases in {wall / 60:.1f} min wall, {cpu / 60:.1f} min CPU "
          f"({cases / max(wall, 1e-9):.2f} cases/s; {rounds} rounds of {args.round} per category)")
    print(f"load average: {load_before[0]:.2f} at the start, {load_after[0]:.2f} at the end "
          f"({os.cpu_count()} CPUs)")  # fmt: skip
    if campaign.findings:
        print(f"\n{len(campaign.findings)} distinct findings (smallest case of each):")
    for found in sorted(campaign.findings.values(), key=lambda f: -f.count):
        print(f"\n[{found.kind}] x{found.count} in {', '.join(sorted(found.categories))}")
        print(f"  {found.message}")
        if found.case is not None:
            print(f"  commands: {[' '.join(c) for c in found.case.commands]}")
            for f in found.case.files:
                print(f"  file: {f!r}")
    if args.json:
        args.json.write_text(json.dumps({
            "cases": cases, "wall_s": wall, "cpu_s": cpu, "load": [load_before, load_after],
            "table": {n: vars(t) for n, t in campaign.tallies.items()},
            "findings": [{"kind": f.kind, "count": f.count, "message": f.message,
                          "categories": sorted(f.categories),
                          "commands": [list(c) for c in f.case.commands] if f.case else [],
                          "files": [repr(x) for x in f.case.files] if f.case else []}
                         for f in campaign.findings.values()],
        }, indent=1), encoding="utf-8")  # fmt: skip
    return 1 if campaign.findings else 0


if __name__ == "__main__":
    sys.exit(main())
