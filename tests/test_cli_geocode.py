"""``geomap geocode``: output formats, provenance, errors and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.gazetteer


NAMES = ["Rastan", "Homs", "Homs province", "Syria", "Damascus", "Moscow"]
EXPECTED = {
    "Rastan": (172946, "city"),
    "Homs": (169577, "city"),
    "Homs province": (169575, "admin1"),
    "Syria": (163843, "country"),
    "Damascus": (170654, "city"),
    "Moscow": (524901, "city"),
}


def test_acceptance_json_then_cache(cli, places):
    code, out, err = cli("geocode", *NAMES, "--format", "json")
    assert code == 0, err
    records = json.loads(out)
    assert [r["query"] for r in records] == NAMES
    for r in records:
        assert (r["geonameid"], r["feature"]) == EXPECTED[r["query"]]
        assert r["provider"] == "gazetteer" and r["from_cache"] is False
    rastan = records[0]
    assert (rastan["latitude"], rastan["longitude"]) == places.point("Rastan")
    assert records[3]["country"] == "Syria"
    assert records[4]["country_code"] == "SY" and records[5]["country_code"] == "RU"
    code, out, _ = cli("geocode", *NAMES, "--format", "json")
    assert code == 0
    assert all(r["from_cache"] for r in json.loads(out))


def test_table_shows_provenance(cli):
    code, out, _ = cli("geocode", "Rastan")
    assert code == 0
    header, row = out.strip().splitlines()
    assert "source" in header and "172946" in row and row.endswith("gazetteer")
    _, out, _ = cli("geocode", "Rastan")
    assert out.strip().splitlines()[1].endswith("gazetteer (cache)")


def test_pin_shows_in_geocode(cli):
    assert cli("cache", "pin", "Rastan", "34.95", "36.7")[0] == 0
    code, out, _ = cli("geocode", "Rastan", "--format", "json")
    record = json.loads(out)[0]
    assert record["provider"] == "pin" and record["pinned"] is True
    assert (record["latitude"], record["longitude"]) == (34.95, 36.7)


def test_country_hint(cli):
    code, out, _ = cli("geocode", "Damascus", "--country", "us", "--format", "json")
    assert code == 0 and json.loads(out)[0]["country_code"] == "US"


def test_unknown_place_exits_1_with_one_line(cli):
    code, out, err = cli("geocode", "Rastan", "Qqzzx Nowhere")
    assert code == 1
    assert "172946" in out  # the good name is still answered
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "'Qqzzx Nowhere'" in lines[0] and "Fix:" in lines[0] and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--online", "nosuchservice", "Rastan"], "'nosuchservice'.*nominatim"),
        (["--online", "nominatim", "Rastan"], "user agent.*GEOMAP_USER_AGENT"),
        (["--country", "Syria", "Rastan"], "alpha-2.*'Syria'"),
    ],
)
def test_configuration_errors(cli, monkeypatch, args, message):
    import re

    monkeypatch.delenv("GEOMAP_USER_AGENT", raising=False)
    code, _, err = cli("geocode", *args)
    assert code == 1
    assert err.startswith("Error: ") and len(err.strip().splitlines()) == 1
    assert re.search(message, err)


def test_missing_gazetteer_is_built_on_first_use(cli, monkeypatch, tmp_path, alpha_build):
    from geomap.gazetteer import builder as build_module
    from geomap.gazetteer import is_built

    monkeypatch.setattr(build_module, "_build_into", alpha_build(1.5, 2.5))
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(tmp_path / "fresh" / "gazetteer.sqlite"))
    code, out, err = cli("geocode", "Alpha", "--format", "json")
    assert code == 0
    assert "building the offline gazetteer" in err and len(err.strip().splitlines()) == 1
    assert json.loads(out)[0]["latitude"] == 1.5
    assert is_built(tmp_path / "fresh" / "gazetteer.sqlite")


def test_half_built_gazetteer_is_one_line(cli, tmp_path):
    half = tmp_path / "half.sqlite"
    half.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    code, _, err = cli("gazetteer", "info", "--path", str(half))
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "half-built" in err and "run: geomap gazetteer build" in err


def test_usage_error_names_the_option(cli):
    code, _, err = cli("geocode", "Rastan", "--format", "xml")
    assert code == 2 and "--format" in err
    code, _, err = cli("geocode")
    assert code == 2 and "NAMES" in err


def test_cold_process_answers():
    env = dict(os.environ)
    out = subprocess.run(
        [sys.executable, "-m", "geomap", "geocode", "Rastan", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)[0]["geonameid"] == 172946


HEAVY = ("geopandas", "folium", "shapely", "pandas", "spacy", "transformers", "torch", "branca")


def test_geocode_command_keeps_heavy_modules_out():
    code = (
        "import sys\n"
        "from geomap.cli import cli\n"
        "try:\n"
        "    cli.main(['geocode', 'Rastan', '--format', 'json'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "import geomap.cli.geocode, geomap.geocoding, geomap.gazetteer\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


# -- a data folder that cannot be written ---------------------------------------------


@pytest.mark.parametrize("mode", ["read-only", "full"])
@pytest.mark.parametrize("with_cache", [True, False], ids=["cache", "no-cache"])
def test_geocode_works_from_a_folder_that_cannot_be_written(cli, geomap_env, mode, with_cache):
    """Answers come from the cache and the gazetteer; a note says new ones are not stored.

    The report: a read-only data folder or a full disk made every command fail, with
    advice to move the "corrupt or unreadable" cache aside (though it was sound)."""
    from tests.confined import run_geomap

    if with_cache:
        assert cli("geocode", "Rastan")[0] == 0  # cached before the folder became read-only
    result = run_geomap(geomap_env, ["geocode", "Rastan", "Homs", "--format", "json"],
                        mode=mode, env=dict(os.environ))  # fmt: skip
    assert result.returncode == 0, result.stderr
    records = {r["query"]: r for r in json.loads(result.stdout)}
    assert records["Rastan"]["geonameid"] == 172946 and records["Homs"]["geonameid"] == 169577
    assert records["Rastan"]["from_cache"] is with_cache
    (note,) = result.stderr.strip().splitlines()
    assert note.startswith("Note: New answers are not stored: The geocode cache")
    assert ("read-only" if mode == "read-only" else "the disk is full") in note
    assert "corrupt" not in note and "move it aside" not in note


def test_a_long_name_is_shown_shortened(cli):
    name = "Qq" * 50_000
    code, out, err = cli("geocode", name)
    assert code == 1 and "(100,000 chars)" in out and len(out) < 500
    assert err.startswith("Error: A place name has at most 1,000 characters")
    assert "(100,000 characters)" in err and len(err) < 400


def test_a_blank_user_agent_is_a_clear_error(cli, monkeypatch):
    monkeypatch.delenv("GEOMAP_USER_AGENT", raising=False)
    code, out, err = cli("geocode", "Qqzzx", "--online", "nominatim", "--user-agent", " ")
    assert (code, out) == (1, "")
    assert err == (
        "Error: The online service 'nominatim' needs a user agent that identifies you, instead"
        " got a blank one. Fix: pass --user-agent 'yourapp/1.0 (you@example.org)' or set"
        " GEOMAP_USER_AGENT.\n"
    )


def test_failed_online_lookups_are_one_line_each(cli, monkeypatch):
    """The report: every failed online lookup logged geopy's traceback (~77 lines a name)."""
    from geomap.geocoding import online
    from tests.fake_nominatim import serve

    make = online._make
    with serve() as fake:
        fake.fail = True
        monkeypatch.setattr(online, "_make", lambda s, a, o: make(s, a, {**o, **fake.options}))
        monkeypatch.setattr(online, "ERROR_WAIT_SECONDS", 1.0)
        code, out, err = cli("geocode", "Qqzxville one", "Qqzxville two", "--online",
                             "nominatim", "--user-agent", "geomap-tests")  # fmt: skip
    assert code == 1 and "online:nominatim (failed)" in out
    note, *errors = err.splitlines()
    assert note.startswith("Note: The online service 'nominatim' failed for 'Qqzxville one'")
    assert "retried up to 1 time(s)" in note
    assert errors == [
        f"Error: The online service 'nominatim' failed for 'Qqzxville {n}' (GeocoderServiceError:"
        " Non-successful status code 500). Fix: retry later, or pin the place with `geomap cache"
        " pin`."
        for n in ("one", "two")
    ]
    assert fake.hits == ["Qqzxville one"] * 2 + ["Qqzxville two"] * 2
