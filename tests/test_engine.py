"""Extraction and cache refresh on a Dask LocalCluster (geomap.engine): the same output
as one process, set-up once per worker, pins winning on every worker.

One LocalCluster of 2 worker processes serves the whole module (reached by its
scheduler address, as ``--scheduler`` does); the module skips when the
``geomap[dask]`` extra is not installed.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

import geomap
from geomap.errors import ConfigurationError
from geomap.geocoding import GeocodeCache
from geomap.geocoding.entry import CacheEntry

distributed = pytest.importorskip("distributed", reason="needs the geomap[dask] extra")
pytest.importorskip("dask_geopandas", reason="needs the geomap[dask] extra")

pytestmark = pytest.mark.gazetteer

#: Articles written for these tests (not from any corpus).
ARTICLES = {
    "2019-04-02-rastan.txt": "Shelling near Rastan\n"
    "Government shelling killed four people in Rastan, north of Homs, on Monday.\n",
    "2019-04-03-idlib.txt": "Idlib market strike\n"
    "An air strike on a market in Idlib city killed 11 civilians and wounded 30 on Tuesday.\n",
    "north/2019-04-05-aleppo.txt": "Clashes in Aleppo\n"
    "Rebels and government troops clashed in eastern Aleppo; two fighters died.\n",
    "north/2019-04-06-kabul.txt": "Kabul bombing\n"
    "A suicide bomber killed 7 people outside a ministry in Kabul, Afghanistan, on Friday.\n",
    "empty.txt": "",
    "south/2019-04-07-daraa.txt": "Daraa protest\n"
    "Security forces fired on protesters in Daraa, wounding three, on Saturday.\n",
}


@pytest.fixture(scope="module")
def scheduler():
    """The address of a LocalCluster of 2 processes, 1 thread each, for the module."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        assert local.scheduler_address.startswith("tcp://127.0.0.1:")
        yield local.scheduler_address


@pytest.fixture
def articles(tmp_path) -> Path:
    folder = tmp_path / "articles"
    for name, text in ARTICLES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def as_json(items) -> str:
    results = [i for i in items if isinstance(i, geomap.ExtractResult)]
    errors = [i for i in items if isinstance(i, geomap.InputError)]
    out = io.StringIO()
    geomap.write_results(results, out, errors=errors)
    return out.getvalue()


def answers(path: Path) -> dict[str, CacheEntry]:
    with GeocodeCache.open(path) as cache:
        return {e.key: e for e in cache.entries()}


def test_extract_on_the_cluster_equals_one_process(scheduler, articles, tmp_path):
    with geomap.Workspace(cache=tmp_path / "unpinned.sqlite") as ws:
        single = list(geomap.extract(articles, workspace=ws))
    with geomap.Workspace(cache=tmp_path / "one.sqlite") as ws:
        ws.cache.pin("Rastan", 34.95, 36.74, country="SY")  # pins must win on workers
        pinned = list(geomap.extract(articles, workspace=ws))
    with geomap.Workspace(cache=tmp_path / "many.sqlite") as ws:
        ws.cache.pin("Rastan", 34.95, 36.74, country="SY")
        run = geomap.extract_cluster(articles, scheduler=scheduler, workspace=ws)
    assert as_json(run.items) == as_json(pinned) != as_json(single)
    assert "pinned in the geocode cache" in as_json(run.items)
    assert run.workers == 2 and run.tasks >= 2 and len(run.setup) == 2
    assert run.merge is not None and run.merge.conflicts == [] and run.merge.added > 5
    one, many = answers(tmp_path / "one.sqlite"), answers(tmp_path / "many.sqlite")
    assert one.keys() == many.keys()
    assert all(one[key].same_answer(many[key]) for key in one)
    assert not list(tmp_path.glob(".many.sqlite.shards-*")), "the shards are removed"


def test_the_set_up_is_once_per_worker_not_per_task(scheduler, articles, tmp_path, monkeypatch):
    import geomap.engine.extract as job

    monkeypatch.setattr(job, "BATCH_ARTICLES", 1)
    with geomap.Workspace(cache=tmp_path / "c.sqlite") as ws:
        run = geomap.extract_cluster(articles, scheduler=scheduler, workspace=ws)
    assert run.tasks == len(ARTICLES) and len(run.setup) == 2  # one set-up per worker
    assert len(run.task_cpu_s) == run.tasks


def test_each_key_keeps_the_spelling_met_first_in_article_order(scheduler, tmp_path, monkeypatch):
    import geomap.engine.extract as job

    monkeypatch.setattr(job, "BATCH_ARTICLES", 1)
    folder = tmp_path / "spellings"
    folder.mkdir()
    for i in range(6):  # the later spelling is met first on whichever worker runs task 1
        shout = "KABUL" if i == 0 else "Kabul"
        (folder / f"{i}.txt").write_text(f"Blast\nA bomb killed {i + 2} people in {shout}.\n")
    with geomap.Workspace(cache=tmp_path / "one.sqlite") as ws:
        single = list(geomap.extract(folder, workspace=ws))
    with geomap.Workspace(cache=tmp_path / "many.sqlite") as ws:
        run = geomap.extract_cluster(folder, scheduler=scheduler, workspace=ws)
    assert as_json(run.items) == as_json(single)
    one, many = answers(tmp_path / "one.sqlite"), answers(tmp_path / "many.sqlite")
    assert {k: e.query for k, e in one.items()} == {k: e.query for k, e in many.items()}
    assert "KABUL" in {e.query for e in many.values()}


def test_events_dataframe_is_a_dask_geodataframe_of_the_same_events(scheduler, articles):
    import dask_geopandas

    single = [e for r in geomap.extract(articles, use_cache=False)
              if isinstance(r, geomap.ExtractResult) for e in r.events]  # fmt: skip
    with distributed.Client(scheduler) as client:
        frame = geomap.events_dataframe(articles, client=client)
        assert isinstance(frame, dask_geopandas.GeoDataFrame)
        events = frame.compute()
    assert events["event_id"].tolist() == [e.event_id for e in single]
    assert events.crs.to_epsg() == 4326


def _stale_cache(path: Path) -> None:
    """A cache with a stale gazetteer answer, an online answer and a pin."""
    with geomap.Workspace(cache=path) as ws:
        for name in ("Homs", "Idlib", "Nowhereville Qq"):
            ws.geocoder.resolve(name)
        stale = ws.cache.get("homs")
        stale.latitude, stale.longitude, stale.geonameid = 10.0, 10.0, 1
        online = CacheEntry(key="daraa", query="Daraa", name_key="daraa", latitude=32.6,
                            longitude=36.1, found=True, provider="online:nominatim")
        ws.cache.put_many([stale, online])
        ws.cache.pin("Idlib", 35.9, 36.6)


def test_cache_refresh_on_the_cluster_equals_one_process(scheduler, tmp_path):
    for name in ("one", "many"):
        _stale_cache(tmp_path / f"{name}.sqlite")
    with geomap.Workspace(cache=tmp_path / "one.sqlite") as ws:
        single = geomap.refresh_cache(workspace=ws)
    with geomap.Workspace(cache=tmp_path / "many.sqlite") as ws:
        cluster = geomap.refresh_cache_cluster(scheduler=scheduler, workspace=ws)
    assert [c.describe() for c in cluster.changes] == [c.describe() for c in single.changes]
    assert [c.key for c in cluster.changes] == ["homs"]
    one, many = answers(tmp_path / "one.sqlite"), answers(tmp_path / "many.sqlite")
    assert all(one[key].same_answer(many[key]) for key in one) and one.keys() == many.keys()


def test_cli_extract_with_a_scheduler_writes_what_one_process_writes(
    cli, scheduler, articles, tmp_path
):
    plain = cli("extract", str(articles), "-o", str(tmp_path / "one.json"))
    spread = cli("extract", str(articles), "--scheduler", scheduler, "-o",
                 str(tmp_path / "many.json"))  # fmt: skip
    assert plain.code == spread.code == 0, spread.err
    one = json.loads((tmp_path / "one.json").read_text())
    many = json.loads((tmp_path / "many.json").read_text())
    assert one == many and one["summary"]["events"] >= 4
    assert "Merged 2 shard(s)" in spread.err and "0 conflicts" in spread.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cluster", "local:x"], "--cluster takes local:N"),
        (["--cluster", "local:0"], "--cluster takes local:N"),
        (["--scheduler", "10.0.0.5"], "--scheduler takes a scheduler address"),
        (["--cluster", "local:2", "--scheduler", "tcp://h:1"], "were both given"),
    ],
)
def test_cli_refuses_a_bad_cluster_in_one_line(cli, articles, args, message):
    result = cli("extract", str(articles), *args)
    assert result.code == 1
    assert result.err.startswith("Error: ") and message in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_without_dask_the_cluster_option_says_how_to_install_it(cli, articles, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = cli("extract", str(articles), "--cluster", "local:2")
    assert result.code == 1
    assert 'pip install "geomap[dask]"' in result.err
    with pytest.raises(ConfigurationError, match="geomap\\[dask\\]"):
        geomap.refresh_cache_cluster(cluster="local:2")


def test_cli_cache_refresh_with_a_scheduler_prints_what_one_process_prints(
    cli, scheduler, geomap_env
):
    _stale_cache(geomap_env / "geocode-cache.sqlite")
    spread = cli("cache", "refresh", "--scheduler", scheduler)
    assert spread.code == 0, spread.err
    assert spread.out.startswith("changed 'Homs' [homs]: 1 (10.00000, 10.00000) via gazetteer ->")
    assert spread.out.rstrip().endswith("(offline): 1 changed")
    again = cli("cache", "refresh")  # one process, after: nothing left to change
    assert again.code == 0 and again.out.rstrip().endswith("(offline): 0 changed")


def _worker_timers(dask_worker):
    return sorted(dask_worker.periodic_callbacks)


def test_a_local_cluster_listens_on_the_loopback_only_and_samples_no_stacks():
    import dask

    from geomap.engine.client import open_client

    with open_client(cluster="local:1") as client:
        addresses = [client.scheduler.address, *client.scheduler_info()["workers"]]
        http = client.cluster.scheduler.http_server.address  # the health and metrics routes
        timers = client.run(_worker_timers)
    assert addresses and all(a.startswith("tcp://127.0.0.1:") for a in addresses), addresses
    assert http == "127.0.0.1"
    # no dashboard shows a profile: the workers take no stack samples from their tasks
    (names,) = timers.values()
    assert "heartbeat" in names and not any(n.startswith("profile") for n in names), names
    assert dask.config.get("distributed.worker.profile.enabled")  # the caller's own config


@pytest.mark.parametrize("refresh", [geomap.refresh_cache, geomap.refresh_cache_cluster])
def test_the_cluster_refresh_makes_the_checks_one_process_makes(refresh, tmp_path):
    kwargs = {"cluster": "local:1"} if refresh is geomap.refresh_cache_cluster else {}
    with pytest.raises(ConfigurationError, match="offline and to use the online service"):
        refresh(offline=True, online="nominatim", **kwargs)
    with geomap.Workspace(cache=tmp_path / "cache.sqlite") as ws:
        # the workspace brings its own online service: a second one is refused, not ignored
        with pytest.raises(ConfigurationError, match="cannot be combined with a workspace"):
            refresh(offline=False, online="nominatim", workspace=ws, **kwargs)
