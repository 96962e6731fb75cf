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

    from geomap.ingestion.pipeline import BATCH_ROWS

    total = BATCH_ROWS * 12 // 5  # two whole batches and part of a third
    rows = [HEADER] + [
        f"K{i},2015-09-30,Battles,Armed clash,Syria,Homs,{33 + (i % 300) / 100:.2f},"
        f"{36 + (i // 300) / 100:.2f},1,{i % 5}"
        for i in range(total)
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
            if seen >= BATCH_ROWS:
                break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert seen >= BATCH_ROWS, "the writer never committed a batch"
    with EventStore.open(store) as st:
        assert st.integrity_check() == "ok"
        n = st.count_sources()
        assert n >= seen and n % BATCH_ROWS == 0  # whole batches only
        ids = {e.event_id for e in st.sources()}
        assert {f"acled:K{i}" for i in range(n)} == ids  # rows are read and stored in order
        assert st.count() == n


# ---------------------------------------------------------------------------
# hostile input: checked once on the way in, one-line errors, no silent overwrite


POISONED = {
    "words": '{"events":[{"event_id":"j2","event_date":"yesterday","latitude":34.9,'
    '"longitude":36.7,"fatalities":"lots"}]}',
    "overflow": '{"events":[{"event_id":"j3","event_date":"2015-09-30","latitude":34.9,'
    '"longitude":36.7,"fatalities":1e400}]}',
}


@pytest.mark.parametrize("name", POISONED)
def test_a_poisoned_extract_event_is_rejected_and_readers_still_answer(cli, tmp_path, name):
    path = tmp_path / "poison.json"
    path.write_text(POISONED[name])
    code, out, err = cli("ingest", str(path))
    assert code == 0, err
    reason = "event_date must be a date" if name == "words" else "fatalities must be a whole"
    assert "rejected: 1" in out and f"poison.json (event 1): {reason}" in out
    code, out, err = cli("near", "34.9,36.7", "--radius", "30")
    assert code == 0 and "Total: 0 events" in out, err
    code, out, err = cli("export", str(tmp_path / "out.csv"))
    assert code == 0 and "Wrote 0 events" in out, err


@pytest.mark.parametrize(
    "text, reported",
    [
        ('{"events":[1,2]}', "event 1 must be an object, instead got int 1"),
        ('{"events":{"a":1}}', "'events' must be a list, instead got an object"),
        ('{"mentions":["x"]}', "mention 1 is not a mention record (the text 'x')"),
        ('{"features":[1]}', "feature 1 must be an object, instead got int 1"),
        ('{"documents":[{"events":"abc"}]}', "'events' must be a list, instead got the text"),
        ("[" * 200_000 + "]" * 200_000, None),
    ],
)
def test_malformed_extract_json_is_reported_never_a_traceback(cli, tmp_path, text, reported):
    path = tmp_path / "bad.json"
    path.write_text(text)
    code, out, err = cli("ingest", str(path))  # a traceback would raise here
    if reported is None:
        assert code == 1 and err.strip().splitlines() == [
            f"Error: The file {str(path)!r} nests JSON deeper than 64 levels. Fix: pass the "
            "output of `geomap extract --format json`."
        ]
    else:
        assert code == 0 and f"bad.json: {reported}" in out, err


def test_counts_beyond_the_range_are_rejected_rows(cli, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        HEADER + "\nB1,2015-09-30,Battles,Armed clash,Syria,Homs,34.724,36.7256,1,"
        "9223372036854775808\nB2,2015-09-30,Battles,Armed clash,Syria,Homs,34.724,36.7256,1,"
        "1e30\nB3,2015-09-30,Battles,Armed clash,Syria,Homs,34.724,36.7256,1,4\n"
    )
    code, out, err = cli("ingest", str(path))
    assert code == 0, err
    assert "rejected: 2" in out and "stored: 1 source rows" in out
    assert "a.csv:2: fatalities must be a whole number from 0 to 10,000,000, instead got: " \
        "9223372036854775808" in out  # fmt: skip
    assert "a.csv:3: unparseable number in column 'fatalities': '1e30'" in out


def test_a_field_over_128_kb_is_stored_cut_to_its_cap(cli, tmp_path):
    path = tmp_path / "a.csv"
    row = "C1,2015-09-30,Battles,Armed clash,Syria,Homs,34.724,36.7256,1,2," + "n" * 140_000
    path.write_text(HEADER + ",notes\n" + row + "\n")
    code, out, err = cli("ingest", str(path))
    assert code == 0 and "stored: 1 source rows" in out, err
    with EventStore.open() as st:
        (event,) = st.events()
        assert len(event.notes) == 100_000 and event.notes.endswith("\u2026")


def test_one_id_twice_in_one_file_names_both_lines(cli, tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text(
        HEADER + "\nD1,2015-09-30,Battles,Armed clash,Syria,Homs,34.724,36.7256,1,1\n"
        "D1,2015-09-30,Battles,Armed clash,Syria,Homs,34.724,36.7256,1,2\n"
    )
    code, out, err = cli("ingest", str(path))
    assert code == 0, err
    assert "rows read: 2" in out and "stored: 1 source rows" in out and "rejected: 1" in out
    assert "dup.csv:3: event_id 'acled:D1' is on line 2 too; this row is skipped" in out
    with EventStore.open() as st:
        assert [e.fatalities for e in st.events()] == [1]  # the first row, not the last


def test_an_extract_event_never_overwrites_an_acled_row(cli, tmp_path, test_data):
    assert cli("ingest", str(test_data / "acled-sample.csv")).code == 0
    path = tmp_path / "claim.json"
    path.write_text('{"events":[{"event_id":"acled:GMX0001","event_date":"2015-09-30",'
                    '"latitude":34.9,"longitude":36.7,"fatalities":99,'
                    '"origin":"acled"}]}')  # fmt: skip
    for extra in ([], ["--replace"]):
        code, out, err = cli("ingest", str(path), *extra)
        assert code == 0 and "not replaced: 1" in out, err
        assert "event_id 'acled:GMX0001' is stored already from another format (acled)" in out
    with EventStore.open() as st:
        assert st.event("acled:GMX0001").fatalities == 33
    code, out, err = cli("ingest", str(test_data / "acled-sample.csv"))
    assert "stored: 0 source rows" in out and "updated: 0, unchanged: 4" in out


def test_a_full_disk_is_named_and_keeps_what_was_committed(cli, tmp_path, monkeypatch):
    from geomap.store import opening

    path = tmp_path / "a.csv"
    path.write_text(HEADER + "\n" + "\n".join(
        f"F{i},2015-09-30,Battles,Armed clash,Syria,Homs,{33 + i / 1000:.3f},36.7,1,1"
        for i in range(3000)
    ) + "\n")  # fmt: skip
    first = tmp_path / "one.csv"
    first.write_text(HEADER + "\nF0,2015-09-30,Battles,Armed clash,Syria,Homs,33,36.7,1,1\n")
    assert cli("ingest", str(first)).code == 0
    tune = opening._tune

    def small_disk(conn):
        tune(conn)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 8}")

    monkeypatch.setattr(opening, "_tune", small_disk)
    code, out, err = cli("ingest", str(path))
    assert code == 1
    (line,) = err.strip().splitlines()
    assert line.startswith("Error: Cannot write to the event store") and "is full" in line
    assert "corrupt" not in line and "Fix: free some disk space" in line
    monkeypatch.setattr(opening, "_tune", tune)
    with EventStore.open() as st:
        assert st.count_sources() == 1 and st.integrity_check() == "ok"


def test_a_store_path_typo_is_an_error_and_creates_nothing(cli, tmp_path):
    typo = tmp_path / "no-such-folder" / "events.sqlite"
    for args in (["near", "34.9,36.7"], ["export", str(tmp_path / "out.csv")]):
        code, out, err = cli(*args, "--store", str(typo))
        assert code == 1 and f"There is no event store at {str(typo)!r}" in err
    path = tmp_path / "a.csv"
    path.write_text(HEADER + "\nA1,2015-09-30,Battles,Armed clash,Syria,Homs,34.7,36.7,1,2\n")
    code, out, err = cli("ingest", str(path), "--store", str(typo))
    assert code == 1 and "does not exist" in err and "pass --create" in err
    assert not typo.parent.exists()
    code, out, err = cli("ingest", str(path), "--store", str(typo), "--create")
    assert code == 0 and typo.is_file(), err


def test_a_huge_place_name_is_clipped_in_the_summary(cli, tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("date,place\n2015-09-30," + "Q" * 100_000 + "\n")
    code, out, err = cli("ingest", str(path), "--country", "SY")
    assert code == 0, err
    assert max(len(line) for line in out.splitlines()) < 300
    assert "unresolved: 1 (QQQQ" in out


@pytest.mark.gazetteer
def test_two_towns_of_one_names_file_on_one_day_stay_two_events(cli, tmp_path):
    path = tmp_path / "towns.csv"
    path.write_text("date,town,killed,type\n2015-09-30,Rastan,7,barrel bomb\n"
                    "2015-09-30,Talbiseh,,shelling\n")  # fmt: skip
    code, out, err = cli("ingest", str(path), "--country", "SY")
    assert code == 0 and "store: 2 events from 2 source rows" in out, err
    code, out, err = cli("near", "Rastan", "--radius", "50", "--format", "json")
    assert code == 0, err
    events = {e["location"]: e for e in __import__("json").loads(out)["events"]}
    assert set(events) == {"Rastan", "Talbiseh"}
    assert events["Rastan"]["deaths_best"] == 7 and events["Talbiseh"]["deaths_best"] is None
    assert events["Rastan"]["event_type"] == "Explosions/Remote violence"
    assert events["Rastan"]["sub_event_type"] == "Air/drone strike"
