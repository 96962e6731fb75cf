"""Run one fuzz case the way a user would, then check the outcome and the store.

A case runs ``geomap ARGS`` in-process (click's CliRunner, so the result is
what a user of the console script sees) inside a :class:`Sandbox`: a fresh
temporary data directory holding a copy of a small baseline store (three
ACLED rows and one names row) and cache (one pin).  :func:`check` then asserts
what every input, however hostile, must leave behind:

* the command exits 0, or 1 with a last line ``Error: ...``, or 2 (a usage
  error); no traceback and no "Unexpected error" (an internal exception the
  CLI could only wrap) reaches the user; no line of a message is longer than
  an error line may be (a line of JSON or an export asked for may);
* the store and the cache pass ``PRAGMA integrity_check``;
* ``geomap near`` and ``geomap export`` (CSV and GeoJSON) still succeed;
* every baseline row is still stored with the same date, point and deaths
  (unless the command reported rows as updated), and the baseline pin is
  unchanged.

Nothing is written outside the sandbox: the command runs with the sandbox as
its working directory and every geomap path in its environment.
"""

from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import sqlite3
import tempfile
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
GAZETTEER = REPO / "data" / "gazetteer.sqlite"

#: The longest line a command may print (an error line is capped at 1000 characters).
MAX_LINE = 1100
#: Words of the message the CLI gives for an exception it has no description for.
UNEXPECTED = ("Unexpected error", "and report it")
#: Where ``near`` looks after each case: Rastan, with a radius reaching all of Syria.
NEAR_ARGS = ("near", "34.9,36.7", "--radius", "1000")

BASELINE_ACLED = (
    "event_id_cnty,event_date,year,event_type,sub_event_type,actor1,country,admin1,location,"
    "latitude,longitude,geo_precision,source,notes,fatalities\n"
    "FZB0001,30 September 2015,2015,Explosions/Remote violence,Air/drone strike,Air force,"
    "Syria,Homs,Ar-Rastan,34.9267,36.7324,1,Fuzz baseline,Baseline row one,33\n"
    "FZB0002,3 October 2015,2015,Battles,Armed clash,Army,Syria,Homs,Homs,34.7324,36.7137,1,"
    "Fuzz baseline,Baseline row two,2\n"
    "FZB0003,1 November 2015,2015,Explosions/Remote violence,Shelling/artillery/missile attack,"
    "Army,Syria,Aleppo,Aleppo,36.2021,37.1343,1,Fuzz baseline,Baseline row three,0\n"
)
BASELINE_NAMES = "date,place,event_type,deaths,source\n2015-10-05,Talbiseh,air strike,4,Fuzz log\n"
BASELINE_PIN = ("Homs", "34.7324", "36.7137", "--country", "SY")


@dataclass(frozen=True)
class InputFile:
    """A file a case writes into its sandbox: its name and its bytes."""

    name: str
    data: bytes

    def __repr__(self) -> str:
        data = self.data if len(self.data) <= 600 else self.data[:600]
        more = f" +{len(self.data) - 600:,} bytes" if len(self.data) > 600 else ""
        return f"InputFile({self.name!r}, {data!r}{more})"


@dataclass(frozen=True)
class Case:
    """One fuzz case: the files written into a fresh sandbox and the commands run there
    (argument lists naming the files by their relative names)."""

    category: str
    files: tuple[InputFile, ...]
    commands: tuple[tuple[str, ...], ...]


@dataclass
class Result:
    """What ``geomap ARGS`` gave."""

    args: list[str]
    code: int
    out: str
    err: str
    escaped: str | None  # the traceback of an exception that left the CLI, if any


@dataclass
class Outcome:
    """What one case broke, by kind (empty lists: nothing)."""

    category: str
    failures: list[str] = field(default_factory=list)
    tracebacks: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.failures or self.tracebacks or self.lost)

    def explain(self) -> str:
        parts = [f"[{self.category}]"]
        parts += [f"traceback: {t}" for t in self.tracebacks]
        parts += [f"failure: {f}" for f in self.failures]
        parts += [f"data lost: {x}" for x in self.lost]
        return "\n".join(parts)


# -- the sandbox -----------------------------------------------------------------------


def env_for(data: Path) -> dict[str, str]:
    return {
        "GEOMAP_DATA_DIR": str(data),
        "GEOMAP_CACHE": str(data / "geocode-cache.sqlite"),
        "GEOMAP_STORE": str(data / "events.sqlite"),
        "GEOMAP_GAZETTEER": str(GAZETTEER),
        "GEOMAP_DEBUG": "",
        "GEOMAP_USER_AGENT": "",
        "NO_COLOR": "1",
    }


@contextmanager
def _cwd(path: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def invoke(root: Path, data: Path, args: Sequence[str]) -> Result:
    """``geomap ARGS`` in-process, in ``root`` with ``data`` as its data directory."""
    from click.testing import CliRunner

    from geomap.cli import cli

    runner = CliRunner()
    with _cwd(root):
        result = runner.invoke(cli, list(args), env=env_for(data), catch_exceptions=True)
    escaped = None
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        escaped = "".join(traceback.format_exception(exc))
    return Result(list(args), result.exit_code, result.stdout, result.stderr, escaped)


class Sandbox:
    """A fresh temporary folder: ``root`` (the working directory, inputs) and
    ``data`` (the data directory, a copy of the baseline store and cache)."""

    def __init__(self) -> None:
        template = _template()
        self.root = Path(tempfile.mkdtemp(prefix="geomap-fuzz-"))
        self.data = self.root / "geomap-data"
        shutil.copytree(template, self.data)

    def write(self, files: Sequence[InputFile]) -> list[str]:
        """Write ``files`` into ``root``; their paths relative to it."""
        names = []
        for f in files:
            path = self.root / f.name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(f.data)
            names.append(f.name)
        return names

    def run(self, *args: str) -> Result:
        return invoke(self.root, self.data, args)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_TEMPLATE: Path | None = None


def _template() -> Path:
    """The baseline data directory, built once per process with the CLI itself."""
    global _TEMPLATE
    if _TEMPLATE is not None and _TEMPLATE.exists():
        return _TEMPLATE
    root = Path(tempfile.mkdtemp(prefix="geomap-fuzz-template-"))
    atexit.register(shutil.rmtree, root, True)
    data = root / "geomap-data"
    data.mkdir()
    (root / "baseline-acled.csv").write_text(BASELINE_ACLED, encoding="utf-8")
    (root / "baseline-names.csv").write_text(BASELINE_NAMES, encoding="utf-8")
    for args in (
        ("ingest", "baseline-acled.csv"),
        ("ingest", "baseline-names.csv", "--country", "SY"),
        ("cache", "pin", *BASELINE_PIN),
    ):
        result = invoke(root, data, args)
        assert result.code == 0 and result.escaped is None, (args, result)
    _TEMPLATE = data
    return data


# -- what the store holds --------------------------------------------------------------


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def stored_events(data: Path) -> dict[object, tuple[object, ...]]:
    """event_id -> (date, latitude, longitude, fatalities) of every stored source row."""
    sql = "SELECT event_id, event_date, latitude, longitude, fatalities FROM event_sources"
    return {row[0]: row[1:] for row in _rows(data / "events.sqlite", sql)}


def pins(data: Path) -> dict[object, tuple[object, ...]]:
    """key -> (latitude, longitude) of every pin in the cache."""
    sql = "SELECT key, latitude, longitude FROM entries WHERE pinned"
    return {row[0]: row[1:] for row in _rows(data / "geocode-cache.sqlite", sql)}


_BASELINE: tuple[dict[object, tuple[object, ...]], dict[object, tuple[object, ...]]] | None = None


def baseline() -> tuple[dict[object, tuple[object, ...]], dict[object, tuple[object, ...]]]:
    """The baseline's stored rows and pins (see :func:`stored_events`, :func:`pins`)."""
    global _BASELINE
    if _BASELINE is None:
        data = _template()
        _BASELINE = (stored_events(data), pins(data))
    return _BASELINE


# -- the checks ------------------------------------------------------------------------


def _short(text: str, limit: int = 300) -> str:
    text = text.strip()
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} chars)"


def check_result(result: Result, outcome: Outcome, *, what: str = "") -> None:
    """Exit 0, 1 with a last ``Error:`` line, or 2; no traceback; no message line too long."""
    label = what or " ".join(result.args[:3])
    text = result.out + result.err
    if result.escaped is not None:
        last = result.escaped.strip().splitlines()[-1]
        outcome.tracebacks.append(f"{label}: exception left the CLI: {_short(last)}")
        return
    if "Traceback (most recent call last)" in text:
        outcome.tracebacks.append(f"{label}: traceback printed: {_short(result.err)}")
    if any(word in text for word in UNEXPECTED):
        line = next((x for x in text.splitlines() if UNEXPECTED[0] in x), text)
        outcome.failures.append(f"{label}: unexpected error: {_short(line)}")
    # the data asked for (an export, JSON on stdout such as extract's events with their
    # sources) may have long lines; a message may not
    data = "export" in result.args[:1] or _is_json(result.out)
    long_lines = [x for x in result.err.splitlines() if len(x) > MAX_LINE] + [
        x for x in result.out.splitlines()
        if len(x) > MAX_LINE and not data and not x.lstrip().startswith(("{", "["))
    ]  # fmt: skip
    if long_lines:
        outcome.failures.append(f"{label}: a line of {len(long_lines[0]):,} characters")
    if result.code == 1:
        if not _told_why(result.err):
            outcome.failures.append(f"{label}: exit 1 without an Error line: {_short(result.err)}")
    elif result.code not in (0, 2):
        outcome.failures.append(f"{label}: exit code {result.code}: {_short(result.err)}")


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return bool(text.strip())


def _told_why(err: str) -> bool:
    """Whether a failed command said why: its last line is ``Error: ...``, or (extract,
    which goes on past a bad file) a line ``skipped: FILE: ... Fix: ...``."""
    lines = err.strip().splitlines()
    if lines and lines[-1].startswith("Error: "):
        return True
    return any(x.startswith("skipped: ") and " Fix: " in x for x in lines)


def check_store(
    box: Sandbox, outcome: Outcome, said: str = "", *, pins_may_change: set[str] | None = None
) -> None:
    """Integrity, ``near`` and ``export`` still work, nothing of the baseline is lost."""
    for name in ("events.sqlite", "geocode-cache.sqlite"):
        path = box.data / name
        if not path.exists():
            outcome.lost.append(f"{name} is gone")
            continue
        try:
            verdict = _rows(path, "PRAGMA integrity_check")
        except sqlite3.Error as exc:
            outcome.failures.append(f"{name}: cannot be opened: {exc}")
            continue
        if verdict != [("ok",)]:
            outcome.failures.append(f"{name}: integrity_check: {_short(str(verdict))}")
    for args in (NEAR_ARGS, ("export", "after.csv"), ("export", "after.geojson")):
        result = box.run(*args)
        label = f"afterwards `geomap {' '.join(args)}`"
        if result.code == 0 or result.escaped is not None:
            check_result(result, outcome, what=label)
        else:
            outcome.failures.append(f"{label} failed: {_short(result.err)}")
    _check_baseline(box, outcome, said, pins_may_change=pins_may_change)


#: How ingest reports rows that replaced stored ones ("updated: 2", "2 updated").
_UPDATED = re.compile(r"\bupdated:?\s*[1-9]|\b[1-9]\d*\s+updated\b", re.I)


def _check_baseline(
    box: Sandbox, outcome: Outcome, said: str = "", *, pins_may_change: set[str] | None = None
) -> None:
    """Every baseline row and pin is still there; a stored row changed only when the
    commands' output (``said``) reported rows as updated."""
    rows, pinned = baseline()
    try:
        now_rows, now_pins = stored_events(box.data), pins(box.data)
    except sqlite3.Error as exc:
        outcome.lost.append(f"cannot read the store or cache back: {exc}")
        return
    for key, before in rows.items():
        after = now_rows.get(key)
        if after is None:
            outcome.lost.append(f"stored row {key!r} is gone")
        elif after != before and not _UPDATED.search(said):
            outcome.lost.append(f"stored row {key!r} changed from {before!r} to {after!r}")
    asked = pins_may_change or set()
    for key, before in pinned.items():
        if str(key).split("|")[0] in asked or "*" in asked:
            continue  # `cache pin/unpin NAME` or an import with --accept-pins was asked to
        if now_pins.get(key) != before:
            outcome.lost.append(f"pin {key!r} changed from {before!r} to {now_pins.get(key)!r}")


def _pins_asked(case: Case) -> set[str]:
    """Names whose pins the commands were asked to change (``*``: any, for an import
    with ``--accept-pins``)."""
    names: set[str] = set()
    for c in case.commands:
        if list(c[:2]) in (["cache", "pin"], ["cache", "unpin"]) and len(c) > 2:
            names.add(str(c[2]).strip().lower())
        elif list(c[:2]) == ["cache", "import"] and "--accept-pins" in c:
            names.add("*")
    return names


def run_case(case: Case) -> Outcome:
    """Run ``case`` in a fresh sandbox, then check each result and the store."""
    outcome = Outcome(case.category)
    with Sandbox() as box:
        box.write(case.files)
        said = []
        for command in case.commands:
            result = box.run(*command)
            check_result(result, outcome)
            said.append(result.out)
        check_store(box, outcome, "\n".join(said), pins_may_change=_pins_asked(case))
    return outcome


def assert_survives(case: Case) -> None:
    """Run ``case`` and fail, saying what broke, unless nothing did."""
    outcome = run_case(case)
    assert outcome.ok, outcome.explain()
