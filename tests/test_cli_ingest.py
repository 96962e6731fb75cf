"""``geomap ingest``: summary, exit codes, one-line errors."""

from __future__ import annotations

import sys

import pytest

from geomap.store import EventStore

HEADER = (
    "event_id_cnty,event_date,event_type,sub_event_type,country,location,latitude,"
    "longitude,geo_precision,fatalities"
)


def test_ingest_acled_prints_summary_and_rejects_rows(cli, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        HEADER + "\nA1,2015-09-30,Battles,Armed clash,Syria,Homs,34.724,36.7256,1,2\n"
        "A2,2015-09-30,Battles,Armed clash,Syria,Homs,36.7256,34.724,1,2\n"
    )
    store = tmp_path / "other.sqlite"
    code, out, err = cli("ingest", str(path), "--store", str(store))
    assert code == 0, err
    assert "rows read: 2" in out and "rejected: 1" in out
    assert "a.csv:3: latitude/longitude look swapped" in out
    with EventStore.open(store) as st:
        assert [e.event_id for e in st.events()] == ["acled:A1"]


@pytest.mark.parametrize(
    "content, extra_args, match",
    [
        ("", [], "is empty"),
        ("date,place\n2015-09-30,Homs\n", ["--format", "acled"], "its columns are: date, place"),
    ],
)
def test_ingest_bad_file_one_line_error(cli, tmp_path, content, extra_args, match):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    code, out, err = cli("ingest", str(path), *extra_args)
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and match in lines[0]
    assert "Traceback" not in err


def test_ingest_usage_errors(cli):
    code, out, err = cli("ingest")
    assert code == 2 and "FILES" in err
    code, out, err = cli("ingest", "x.csv", "--format", "shp")
    assert code == 2 and "--format" in err


@pytest.mark.gazetteer
def test_ingest_acceptance_inputs(cli, acceptance_inputs):
    code, out, err = cli("ingest", *map(str, acceptance_inputs), "--date", "2015-09-30")
    assert code == 0, err
    assert "unresolved: 1 (Qaryat Ghayr Mawjuda)" in out
    assert "1 documents" in out and "rejected: 0" in out


def test_ingest_killed_mid_file_keeps_committed_batches(tmp_path):
    import os
    import signal
    import subprocess
    import time

    rows = [HEADER] + [
        f"K{i},2015-09-30,Battles,Armed clash,Syria,Homs,{33 + (i % 300) / 100:.2f},"
        f"{36 + (i // 300) / 100:.2f},1,{i % 5}"
        for i in range(12000)
    ]
    big = tmp_path / "big.csv"
    big.write_text("\n".join(rows) + "\n")
    store = tmp_path / "kill.sqlite"
    env = dict(os.environ, GEOMAP_STORE=str(store))
    proc = subprocess.Popen(
        [sys.executable, "-m", "geomap", "ingest", str(big), "--no-progress"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    seen = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if store.exists():
            with EventStore.open(store) as st:
                seen = st.count_sources()
            if seen >= 5000:
                break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert seen >= 5000, "the writer never committed a batch"
    with EventStore.open(store) as st:
        assert st.integrity_check() == "ok"
        n = st.count_sources()
        assert n >= seen and n % 5000 == 0  # whole batches only
        ids = {e.event_id for e in st.sources()}
        assert {f"acled:K{i}" for i in range(n)} == ids  # rows are read and stored in order
        assert st.count() == n
