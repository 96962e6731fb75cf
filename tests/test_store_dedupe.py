"""Join and deduplicate: matching rules, fatality ranges, provenance, admin-1."""

from __future__ import annotations

import pytest

from geomap.model import Event
from geomap.store.db import EventStore
from geomap.store.dedupe import Node, admin1_key, cluster, day_range, merge, settlement_key
from tests.places import PLACES


@pytest.mark.parametrize(
    "date, extra, span",
    [
        ("2015-09-30", {}, 0),
        ("2015-09-30", {"time_precision": 2}, 6),
        ("2015-09-30", {"time_precision": 3}, 30),
        ("2015-10-10", {"date_end": "2015-10-16"}, 6),
    ],
)
def test_day_range(date, extra, span):
    d0, d1 = day_range(Event(event_date=date, extra=extra))
    assert d1 - d0 == span
    assert day_range(Event()) == (None, None)


def test_admin1_key_folds_spellings():
    assert admin1_key("Syria", "Homs") == admin1_key("Syria", "Homs Governorate")
    assert admin1_key("Syria", "Al-Hasakah") == admin1_key("Syria", "Hasakah province")
    assert admin1_key("Syria", "") == ""


def node(
    sid, place, *, prec=1, day=735871, span=0, tclass="airstrike", akey="syria|homs",
    origin="text", name="", gid=None, file="", digest="",
) -> Node:
    """A row at a place of the table (Talbiseh lies ~9.6 km south of Rastan, Homs city
    ~22.5 km; Homs Governorate is placed at its representative point); ``name`` is the
    settlement it names ("" for a place-less row)."""
    lat, lon = PLACES.point(place)
    return Node(sid, f"{origin}:{sid}", lat, lon, prec, day - span, day + span, tclass, akey,
                origin, settlement_key(name), gid, file, digest)  # fmt: skip


def groups(nodes):
    return sorted(sorted(n.sid for n in g) for g in cluster(nodes))


def test_precise_rows_merge_within_radius_only():
    assert groups([node(1, "Rastan"), node(2, "Rastan", origin="acled")]) == [[1, 2]]
    # Rastan-Talbiseh 9.6 km: within the 10 km exact radius
    assert groups([node(1, "Rastan"), node(2, "Talbiseh")]) == [[1, 2]]
    # Rastan-Homs 22.5 km: only when one of them is "near" (precision 2)
    assert groups([node(1, "Rastan"), node(2, "Homs")]) == [[1], [2]]
    assert groups([node(1, "Rastan"), node(2, "Homs", prec=2)]) == [[1, 2]]


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("Ar-Rastan", "Ar Rastan town", True),
        ("al-Rastan", "Rastan", True),
        ("Kafr Zeita", "Kafr Zita town", True),
        ("Jisr Ash-Shugur", "Jisr ash Shughur", True),
        ("Homs", "Hims", True),
        ("Rastan", "Talbiseh", False),
        ("Kafr Nabl", "Kafr Zita", False),
        ("", "", True),
    ],
)
def test_settlement_key_sets_spelling_aside(a, b, same):
    assert (settlement_key(a) == settlement_key(b)) is same


def test_two_named_towns_never_merge_whatever_the_distance():
    rastan = node(1, "Rastan", name="Rastan", origin="csv")
    talbiseh = node(2, "Talbiseh", name="Talbiseh", origin="text")  # 9.6 km apart
    assert groups([rastan, talbiseh]) == [[1], [2]]
    # the same town, spelt two ways, by two sources
    assert groups([rastan, node(2, "Rastan", name="Ar-Rastan", origin="acled")]) == [[1, 2]]
    # one gazetteer entry is one town whatever the names say
    one_entry = [node(1, "Rastan", name="Rastan", gid=172946),
                 node(2, "Rastan", name="Ar Rastan district", gid=172946)]  # fmt: skip
    assert groups(one_entry) == [[1, 2]]


def test_only_a_placeless_or_region_row_joins_a_town_and_never_bridges():
    rastan = node(1, "Rastan", name="Rastan", origin="acled")
    talbiseh = node(2, "Talbiseh", name="Talbiseh", origin="ucdp")
    placeless = node(3, "Rastan", origin="gdelt")  # a point without a settlement name
    got = groups([rastan, talbiseh, placeless])
    assert got == [[1, 3], [2]]  # it joins the nearest town only
    region = node(4, "Homs Governorate", prec=3, origin="text", name="Homs Governorate")
    assert [1, 2] not in groups([rastan, talbiseh, region])


def test_rows_of_one_file_never_merge_unless_identical():
    a = node(1, "Rastan", name="Rastan", origin="csv", file="n.csv", digest="x")
    b = node(2, "Rastan", name="Rastan", origin="csv", file="n.csv", digest="y")
    assert groups([a, b]) == [[1], [2]]
    same = node(2, "Rastan", name="Rastan", origin="csv", file="n.csv", digest="x")
    assert groups([a, same]) == [[1, 2]]  # a line repeated in the table
    other_file = node(2, "Rastan", name="Rastan", origin="csv", file="m.csv", digest="y")
    assert groups([a, other_file]) == [[1, 2]]


def test_merge_keeps_the_precise_named_place(make_event):
    town = make_event(event_id="b:town", location="Rastan", origin="text")
    point = make_event(event_id="a:point", location="", origin="gdelt")
    assert merge([town, point]).location == "Rastan"


def test_different_day_type_or_same_curated_dataset_do_not_merge():
    assert groups([node(1, "Rastan"), node(2, "Rastan", day=735872)]) == [[1], [2]]
    assert groups([node(1, "Rastan"), node(2, "Rastan", day=735872, span=3)]) == [[1, 2]]
    assert groups([node(1, "Rastan"), node(2, "Rastan", tclass="protest")]) == [[1], [2]]
    acled, text = {"origin": "acled"}, {"origin": "text"}
    assert groups([node(1, "Rastan", **acled), node(2, "Rastan", **acled)]) == [[1], [2]]
    assert groups([node(1, "Rastan", **text), node(2, "Rastan", **text)]) == [[1, 2]]


def test_coarse_row_joins_one_group_in_its_admin1_and_never_bridges():
    gov = "Homs Governorate"
    nodes = [
        node(1, "Rastan", origin="acled"),
        node(2, "Homs", origin="acled"),
        node(3, gov, prec=3),
    ]
    got = groups(nodes)
    assert [1] in got or [2] in got  # the two town events stay apart
    assert len(got) == 2 and sorted(len(g) for g in got) == [1, 2]
    # the coarse row joins the nearer one (Homs city is nearer the governorate point)
    assert [2, 3] in got
    # another admin-1 never matches
    assert groups([node(1, "Rastan"), node(2, gov, prec=3, akey="syria|hama")]) == [[1], [2]]
    # coarse rows without precise company merge among themselves
    assert groups([node(1, gov, prec=3), node(2, gov, prec=3)]) == [[1, 2]]


def test_merge_fatality_range_best_and_provenance(make_event, places):
    members = [
        make_event(event_id="acled:1", deaths_low=33, deaths_best=33, deaths_high=33,
                   fatalities=33, source="Reuters", coords_from_source=True,
                   location="Ar-Rastan"),
        make_event(event_id="ucdp:1", latitude=34.93, longitude=36.73, location="", deaths_low=30,
                   deaths_best=36, deaths_high=45, origin="ucdp", source="UCDP GED",
                   coords_from_source=True),
        make_event("Homs Governorate", event_id="text:1", deaths_low=33, deaths_best=33,
                   origin="text", source="Reuters", children=True,
                   geonameid=places["Homs Governorate"].geonameid),
    ]  # fmt: skip
    m = merge(members)
    assert (m.deaths_low, m.deaths_high) == (30, 45)  # min of lows, max of highs
    assert m.deaths_best == 33 and m.fatalities == 33  # median_low(33, 36, 33)
    assert m.event_id == "acled:1" and m.location == "Ar-Rastan"  # most precise source
    assert m.children is True and m.geonameid == 169575
    assert m.source == "Reuters; UCDP GED"
    assert [s["event_id"] for s in m.extra["sources"]] == ["acled:1", "text:1", "ucdp:1"]


@pytest.mark.parametrize(
    "bests, lows, highs, expected",
    [
        ([10, 20], [10, 20], [10, 20], 10),  # lower median of an even count
        ([5, 50, 7], [5, 50, 7], [5, 50, 7], 7),
        ([None, 4], [None, 4], [None, None], 4),
        ([None], [None], [None], None),
    ],
)
def test_merge_best_is_lower_median(bests, lows, highs, expected):
    events = [
        Event(event_id=f"e{i}", deaths_best=b, deaths_low=lo, deaths_high=hi)
        for i, (b, lo, hi) in enumerate(zip(bests, lows, highs, strict=False))
    ]
    assert merge(events).deaths_best == expected


def test_store_keeps_every_source_row_of_a_merged_event(tmp_path, make_event):
    rows = [
        make_event(event_id="acled:1", deaths_best=33),
        make_event("Homs Governorate", event_id="text:1", event_type="airstrike", origin="text",
                   admin1="Homs Governorate", deaths_best=33),
    ]  # fmt: skip
    with EventStore.open(tmp_path / "s.sqlite") as s:
        s.upsert_events(rows)
        (merged,) = s.events()
        assert merged.extra["n_sources"] == 2 and merged.extra["source_ids"] == [
            "acled:1",
            "text:1",
        ]
        assert s.count_sources() == 2
        # re-ingesting the same rows changes nothing
        s.upsert_events(rows)
        assert s.count() == 1 and s.count_sources() == 2
        groups = s.connection.execute("SELECT group_id, n_sources FROM dedup_groups").fetchall()
        assert groups == [("acled:1", 2)]


# ---------------------------------------------------------------------------
# property: incremental grouping == grouping everything at once

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_rows = st.lists(
    st.tuples(
        st.floats(34.6, 35.0),  # latitude: Homs countryside, a few tens of km
        st.floats(36.6, 36.9),
        st.integers(0, 2),  # day offset
        st.sampled_from([1, 1, 2, 3]),  # geo precision
        st.sampled_from(["acled", "ucdp", "text", "csv"]),
        st.sampled_from(["airstrike", "Battles", "State-based conflict"]),
        st.sampled_from(["Homs", "Hama"]),
        st.sampled_from(["", "", "Rastan", "Ar-Rastan", "Talbiseh"]),  # "" = place-less
    ),
    min_size=1,
    max_size=14,
)


def _events(make_event, rows):
    return [
        make_event(None, event_id=f"{org}:{i}", event_date=f"2015-09-{28 + day:02d}",
                   latitude=lat, longitude=lon, geo_precision=prec, origin=org, event_type=typ,
                   country="Syria", admin1=adm, location=name)
        for i, (lat, lon, day, prec, org, typ, adm, name) in enumerate(rows)
    ]  # fmt: skip


def _partition(store):
    return sorted(sorted(e.extra["source_ids"]) for e in store.events())


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(_rows, st.randoms(use_true_random=False))
def test_incremental_grouping_matches_batch_grouping(tmp_path_factory, make_event, rows, rnd):
    base = tmp_path_factory.mktemp("inc")
    events = _events(make_event, rows)
    with EventStore.open(base / "all.sqlite") as a, EventStore.open(base / "one.sqlite") as b:
        a.upsert_events(events)
        shuffled = _events(make_event, rows)
        rnd.shuffle(shuffled)
        for e in shuffled:
            b.upsert_events([e])
        assert _partition(a) == _partition(b)
        # moving a row away and back restores the same grouping (refresh-style update)
        moved = _events(make_event, rows)[0]
        moved.latitude, moved.longitude = 10.0, 10.0
        b.upsert_events([moved])
        b.upsert_events([_events(make_event, rows)[0]])
        assert _partition(a) == _partition(b)
        assert sum(len(g) for g in _partition(b)) == len(events)
