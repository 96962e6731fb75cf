"""The one-time gazetteer build (geomap.gazetteer.builder): atomic writes, meta rows,
progress with the time left, and builds that are stopped half-way."""

from __future__ import annotations

import io
import signal
import sqlite3
import subprocess
import sys

import pytest

from geomap.errors import GazetteerError
from geomap.gazetteer import builder as build_module
from geomap.gazetteer import progress as progress_module
from geomap.gazetteer.schema import (
    KIND_ALT,
    KIND_NAME,
    index_keys,
    is_built,
    key_rows,
    pack_key_index,
    unpack_key_index,
)
from geomap.gazetteer.search import Gazetteer


def test_build_failure_leaves_no_file(tmp_path, monkeypatch):
    def boom(builder):
        raise RuntimeError("source exploded")

    monkeypatch.setattr(build_module, "_build_into", boom)
    folder = tmp_path / "gaz"
    with pytest.raises(RuntimeError, match="exploded"):
        build_module.build(folder / "g.sqlite")
    assert list(folder.iterdir()) == []


def test_build_writes_temp_then_renames(tmp_path, monkeypatch):
    """A tiny build (two cities) shows the atomic write and the meta rows."""

    def tiny(builder):
        builder.add_place(1, "Alpha", 1.0, 2.0, "city", "SY", "11", 600)
        builder.add_names(1, [("Alpha", KIND_NAME), ("Al-Alfa", KIND_ALT)])
        builder.add_place(2, "Alpha", 3.0, 4.0, "city", "SY", "11", 9000)
        builder.add_names(2, [("Alpha", KIND_NAME)])

    monkeypatch.setattr(build_module, "_build_into", tiny)
    target = tmp_path / "gaz" / "tiny.sqlite"
    target.parent.mkdir()
    target.write_text("old half-written junk")
    assert build_module.build(target) == target
    assert is_built(target)
    assert [p.name for p in target.parent.iterdir()] == ["tiny.sqlite"]
    with Gazetteer.open(target) as g:
        assert [p.geonameid for p in g.lookup("alfa")] == [1]
        assert sorted(p.geonameid for p in g.lookup("alpha")) == [1, 2]
        assert g.search("al alfa")[0].place.geonameid == 1
        assert g.search("alpha")[0].place.geonameid == 2  # the larger namesake first
        assert g.meta["count_city"] == "2"
        # each key with the largest population among the places it names
        assert sorted(g.iter_keys()) == [("al alfa", 600), ("alfa", 600), ("alpha", 9000)]
        # the stored list and the query it replaces agree
        assert sorted(g.iter_keys()) == sorted(key_rows(g._con))
        # the stored key index is the one built from the key list
        stored = g._blob("key_index")
        assert stored is not None and unpack_key_index(stored) == index_keys(g.iter_keys())
        assert g.key_index() == ({"al alfa": 600, "alfa": 600, "alpha": 9000}, {"al": 2}, {"al": 2})


def test_a_built_file_without_its_key_index_gets_one_in_place(tmp_path, monkeypatch, cli):
    def tiny(builder):
        builder.add_place(1, "Alpha", 1.0, 2.0, "city", "SY", "11", 600)
        builder.add_names(1, [("Alpha", KIND_NAME), ("Deir ez Zor", KIND_ALT)])

    monkeypatch.setattr(build_module, "_build_into", tiny)
    target = build_module.build(tmp_path / "g.sqlite")
    assert not build_module.add_key_index(target)  # a new file has it already
    with sqlite3.connect(target) as con:  # a file built before the index was stored
        con.execute("DELETE FROM blobs WHERE name = 'key_index'")
    con.close()
    with Gazetteer.open(target) as g:
        assert g._blob("key_index") is None
        want = g.key_index()  # built from the key list
    result = cli("gazetteer", "build", "--path", str(target))
    assert result.code == 0 and "Stored the name index" in result.out
    with Gazetteer.open(target) as g:
        stored = g._blob("key_index")
        assert stored is not None and unpack_key_index(stored) == want
    assert is_built(target)
    result = cli("gazetteer", "build", "--path", str(target))
    assert "Stored" not in result.out and "already built" in result.out


def test_key_index_written_by_another_python_is_built_again():
    index = ({"homs": 1, "deir ez zor": 5}, {"deir": 3}, {"deir": 3})
    blob = pack_key_index(index)
    assert unpack_key_index(blob) == index
    other = blob.replace(b"python ", b"python 9", 1)  # the tag of another Python
    assert unpack_key_index(other) is None
    tag = blob.split(b"\n", 1)[0] + b"\n"
    assert unpack_key_index(tag + b"not zlib") is None
    assert unpack_key_index(b"") is None


def test_file_without_a_key_index_builds_it(tmp_path, monkeypatch, alpha_build):
    monkeypatch.setattr(build_module, "_build_into", alpha_build(1.0))
    path = build_module.build(tmp_path / "g.sqlite")
    with Gazetteer.open(path) as g:
        built = g.key_index()
    con = sqlite3.connect(path)
    con.execute("DELETE FROM blobs WHERE name = 'key_index'")
    con.commit()
    con.close()
    with Gazetteer.open(path) as g:
        assert g._blob("key_index") is None
        assert g.key_index() == built == ({"alpha": 600}, {}, {})


# -- progress ---------------------------------------------------------------------------


def test_progress_is_silent_off_a_terminal_unless_asked(tmp_path, monkeypatch, capsys, alpha_build):
    monkeypatch.setattr(build_module, "_build_into", alpha_build(1.0))
    monkeypatch.delenv("GEOMAP_PROGRESS", raising=False)
    build_module.build(tmp_path / "quiet.sqlite")
    assert capsys.readouterr().err == ""
    monkeypatch.setenv("GEOMAP_PROGRESS", "1")
    build_module.build(tmp_path / "asked.sqlite")
    err = capsys.readouterr().err
    assert "building the offline gazetteer" in err
    assert "4/5 listing the name keys" in err and "5/5 compacting the file" in err
    assert "built the gazetteer" in err and "\r" not in err  # lines, not a redrawn bar
    build_module.build(tmp_path / "refused.sqlite", progress=False)
    assert capsys.readouterr().err == ""


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_time_left_is_measured_from_the_first_stage(monkeypatch):
    clock = _Clock()
    monkeypatch.setattr(progress_module.time, "perf_counter", clock)
    shown = progress_module.BuildProgress(_Terminal(), bar=False)
    shown.stage(0)
    clock.now += 5
    assert shown.timing(clock.now) == "0:05 elapsed, measuring the time left"
    clock.now += 5  # the first stage (10 % of a build) took 10 s here: about 100 s in all
    shown.stage(1, items=1000)
    assert shown.timing(clock.now) == "0:10 elapsed, about 1:30 left"
    clock.now += 37
    shown.advance(500)  # 10 % + half of 74 % = 47 % done after 47 s
    assert shown.timing(clock.now) == "0:47 elapsed, about 0:53 left"
    line = "\n      500 of 1,000  [0:47 elapsed, about 0:53 left]\n"
    assert shown.stream.getvalue().endswith(line)
    clock.now += 1
    shown.advance(510)  # off a terminal, one line every 30 s at most
    assert shown.stream.getvalue().endswith(line)
    clock.now += 79  # a slower machine than measured: the estimate follows
    assert shown.timing(clock.now) == "2:07 elapsed, about 2:19 left"
    out = shown.stream.getvalue()
    assert "1/5 reading the GeoNames cities" in out
    assert "2/5 indexing places and names (1,000)" in out


def test_the_bar_is_redrawn_on_a_terminal(monkeypatch):
    terminal = _Terminal()
    shown = progress_module.BuildProgress(terminal, bar=True)
    shown.begin("/data/g.sqlite")
    shown.stage(0)
    shown.stage(1, items=10)
    shown._draw()
    shown.end("built the gazetteer, 1 MB")
    text = terminal.getvalue()
    assert text.startswith("geomap: building the offline gazetteer at /data/g.sqlite (once)\n")
    assert "\r[##------------------]  10% indexing places and names 0/10" in text
    assert text.endswith(")\n") and "geomap: built the gazetteer, 1 MB (0:0" in text


# -- interruption -----------------------------------------------------------------------

#: A build that writes one place, says so on stdout and then takes its time.
SLOW_BUILD = """
import signal, sys, time
# Ctrl-C as in a terminal, even when this test runs under a shell that ignores SIGINT
# (a background job): Python then starts with SIGINT ignored and never raises KeyboardInterrupt
signal.signal(signal.SIGINT, signal.default_int_handler)
from geomap.gazetteer import builder

def slow(b):
    b.progress.stage(0)
    b.add_place(1, "Alpha", 1.0, 2.0, "city", "SY", "11", 600)
    b.add_names(1, [("Alpha", 0)])
    b.flush()
    print("half-way", flush=True)
    time.sleep(float(sys.argv[2]))

builder._build_into = slow
builder.build(sys.argv[1], progress=True)
"""


def _folder(tmp_path):
    folder = tmp_path / "gaz"
    folder.mkdir()
    return folder


def _start_slow_build(target, seconds: float = 120) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_BUILD, str(target), str(seconds)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout.readline() == "half-way\n", proc.stderr.read()
    return proc


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_build_is_never_trusted_and_the_next_one_starts_clean(
    tmp_path, monkeypatch, capsys, alpha_build, sig
):
    target = _folder(tmp_path) / "g.sqlite"
    proc = _start_slow_build(target)
    partial = [p for p in target.parent.iterdir() if p.name.endswith(".tmp.sqlite")]
    assert len(partial) == 1 and partial[0].stat().st_size > 0
    proc.send_signal(sig)
    proc.wait(timeout=30)
    assert partial[0].exists() and not target.exists() and not is_built(target)
    with pytest.raises(GazetteerError, match="geomap gazetteer build"):
        Gazetteer.open(target)

    monkeypatch.setattr(build_module, "_build_into", alpha_build(1.0))
    build_module.build(target, progress=False)
    err = capsys.readouterr().err
    assert f"an earlier build of the gazetteer at {target} was interrupted" in err
    assert f"(process {proc.pid}," in err and "starts again from the beginning" in err
    assert [p.name for p in target.parent.iterdir()] == ["g.sqlite"] and is_built(target)
    build_module.build(target, progress=False)  # nothing left over: no message
    assert capsys.readouterr().err == ""


def test_ctrl_c_removes_the_partial_file_and_says_so(tmp_path):
    target = _folder(tmp_path) / "g.sqlite"
    proc = _start_slow_build(target)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert "KeyboardInterrupt" in err
    assert "geomap: gazetteer build interrupted; nothing was kept, the next run starts again" in err
    assert list(target.parent.iterdir()) == []


def test_a_second_build_waits_for_the_first_and_keeps_its_file(tmp_path, monkeypatch, capsys):
    target = _folder(tmp_path) / "g.sqlite"
    proc = _start_slow_build(target, seconds=1.5)

    def refuse(builder):
        raise AssertionError("the waiting process built the gazetteer again")

    monkeypatch.setattr(build_module, "_build_into", refuse)
    assert build_module.build(target, progress=False) == target
    assert proc.wait(timeout=30) == 0
    assert "another process is building the gazetteer" in capsys.readouterr().err
    with Gazetteer.open(target) as g:
        assert [p.geonameid for p in g.lookup("alpha")] == [1]
    assert [p.name for p in target.parent.iterdir()] == ["g.sqlite"]


def test_districts_sit_at_their_largest_place_and_stay_out_of_plain_lookups(tmp_path, monkeypatch):
    """A district with places is built at the most populous of them; one without places is
    left out and counted; district names answer only :meth:`Gazetteer.districts`."""
    from geomap.gazetteer import sources

    def tiny(builder):
        cities = {
            "1": {"geonameid": 1, "name": "Alpha", "latitude": 1.0, "longitude": 2.0,
                  "countrycode": "SY", "admin1code": "11", "population": 600},
            "2": {"geonameid": 2, "name": "Beta", "latitude": 1.2, "longitude": 2.1,
                  "countrycode": "SY", "admin1code": "11", "population": 9000},
        }  # fmt: skip
        build_module._add_admin2(builder, build_module._add_cities(builder, cities))

    districts = [
        sources.District(7, "SY.11.G1", "Gammaville", 100, ["Gamma Nahiya"]),
        sources.District(8, "SY.11.D1", "Deltaville", 101, []),
    ]
    monkeypatch.setattr(build_module, "_build_into", tiny)
    monkeypatch.setattr(sources, "districts", lambda: iter(districts))
    monkeypatch.setattr(sources, "city_districts", lambda: {1: 7, 2: 7})
    target = tmp_path / "d.sqlite"
    build_module.build(target)
    with Gazetteer.open(target) as g:
        (d,) = g.districts("Gammaville District")
        assert (d.geonameid, d.feature, d.admin1_code) == (100, "admin2", "11")
        assert (d.latitude, d.longitude, d.population) == (1.2, 2.1, 9600)
        assert [p.geonameid for p in g.districts("gamma nahiya", country="SY")] == [100]
        assert g.districts("Gammaville", country="IQ") == []
        assert g.districts("Gammaville", admin1="12") == []
        assert g.districts("Deltaville") == []  # no place of its own: left out
        assert g.lookup("gammaville") == [] and g.search("Gammaville") == []
        assert g.get(100) == d
        assert (g.meta["count_admin2"], g.meta["count_skipped_admin2"]) == ("1", "1")
