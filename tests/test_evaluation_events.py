"""Scoring event extraction against coded events: alignment, verdicts, reading, details."""

from __future__ import annotations

import json
import math

import pytest

from geomap.errors import InputError
from geomap.evaluation.events import (
    GoldRow,
    actor_matches,
    evaluate_events,
    fatalities_close,
    read_gold,
    score_row,
)
from geomap.model import Event

GOLD = {
    "event_date": "2021-03-03",
    "date_in_text": True,
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Air/drone strike",
    "actor1": "Military Forces of Syria (2000-)",
    "latitude": 34.9267,
    "longitude": 36.7324,
    "fatalities": 4,
}


def row(**changes: object) -> GoldRow:
    record = {**GOLD, **changes}
    return GoldRow("r1", 1, "text", "2021-03-04", record)


@pytest.mark.parametrize(
    "gold, predicted, ok",
    [
        ("Military Forces of Syria (2000-)", "Military Forces of Syria", True),
        ("Taliban", "Taliban", True),
        ("Islamic State (West Africa) and/or Boko Haram", "Islamic State", True),
        ("NAF: United Armed Forces of Novorossiya", "NAF", True),
        ("NAF: United Armed Forces of Novorossiya", "United Armed Forces of Novorossiya", True),
        ("CNDD-FDD-Imbonerakure: National Council", "Imbonerakure", True),
        ("Al Shabaab", "al-Shabaab", True),
        ("Taliban", "Military Forces of Afghanistan", False),
        ("Unidentified Armed Group (Kenya)", "", False),
        ("", "Taliban", False),
    ],
)
def test_actor_matching(gold, predicted, ok):
    assert actor_matches(gold, predicted) is ok


@pytest.mark.parametrize(
    "predicted, gold, ok",
    [(0, 0, True), (2, 0, True), (3, 0, False), (12, 10, True), (14, 10, False),
     (96, 80, True), (97, 80, False)],
)  # fmt: skip
def test_fatalities_within_two_or_a_fifth(predicted, gold, ok):
    assert fatalities_close(predicted, gold) is ok


def test_no_event_is_not_found_and_context_figures_do_not_count():
    context = Event(is_context=True, fatalities=0)
    result = score_row(row(), [context])
    assert not result.found and result.extra == 0
    assert all(v is None for v in result.verdicts.values())


def test_the_best_aligned_event_is_scored_and_the_others_are_extra():
    far = Event(event_type="Battles", latitude=36.2, longitude=37.16, fatalities=4,
                event_date="2021-03-03")  # Aleppo, 150 km away
    near = Event(event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
                 latitude=34.93, longitude=36.73, fatalities=3, event_date="2021-03-04",
                 actor1="Military Forces of Syria")  # fmt: skip
    result = score_row(row(), [far, near])
    assert result.best is near and result.extra == 1
    v = result.verdicts
    assert v["within_25km"] and v["within_100km"] and v["event_type"] and v["sub_event_type"]
    assert v["fatalities_exact"] is False and v["fatalities_close"] is True
    assert v["date"] is False and v["date_in_text"] is False and v["actor1"] is True
    assert result.distance_km is not None and result.distance_km < 1


def test_an_event_without_a_point_fails_location_and_missing_gold_is_not_scored():
    e = Event(event_type="Explosions/Remote violence", fatalities=0)
    result = score_row(row(sub_event_type=None, date_in_text=False, actor1=None), [e])
    v = result.verdicts
    assert v["within_25km"] is False and v["within_100km"] is False
    assert v["sub_event_type"] is None and v["date_in_text"] is None and v["actor1"] is None
    assert v["fatalities_exact"] is False  # gold 4, unknown counts as 0
    assert result.distance_km is None


def test_reading_skips_bad_rows_with_their_line(tmp_path):
    path = tmp_path / "coded.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "Gunmen killed two men.", "doc_date": "2020-01-02"}),
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"id": "b", "text": "  "}),
        "",
        json.dumps({"id": "c", "text": "x", "doc_date": "yesterday"}),
        json.dumps({"text": "A bomb exploded.", "doc_date": "2 January 2020"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    skipped: list[str] = []
    rows = list(read_gold(path, skipped=skipped))
    assert [(r.row_id, r.doc_date) for r in rows] == [("a", "2020-01-02"), ("line-7", "2020-01-02")]
    assert [s.split(":")[0] for s in skipped] == ["line 2", "line 3", "line 4", "line 6"]


@pytest.mark.parametrize(
    "content, message",
    [(None, "Cannot read the events file"), (b"\xff\xfe\x00", "not UTF-8"),
     (b"{oops}\n", "No readable row")],
)  # fmt: skip
def test_unreadable_files_are_one_clear_error(tmp_path, content, message):
    path = tmp_path / "coded.jsonl"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        evaluate_events(path)


@pytest.mark.gazetteer
def test_scores_the_fixture_and_writes_details(test_data, tmp_path, gaz):
    scores = evaluate_events(test_data / "coded-events.jsonl", gazetteer=gaz)
    by_id = {r.row.row_id: r for r in scores.rows}
    assert len(scores.rows) == 4 and not scores.skipped
    assert not by_id["gm-3"].found  # a council meeting is no event
    strike = by_id["gm-1"]
    assert strike.verdicts["fatalities_exact"] and strike.verdicts["within_25km"]
    assert strike.verdicts["event_type"] and strike.verdicts["date_in_text"]
    summary = scores.summary()
    assert summary["rows"] == 4 and summary["found"] == scores.found
    assert summary["event_type"]["scored"] == scores.found
    assert math.isclose(summary["recall"], scores.found / 4, abs_tol=1e-4)
    table = scores.table()
    assert "event found (recall)" in table and "location within 25 km" in table
    details = tmp_path / "details.jsonl"
    scores.write_details(details)
    records = [json.loads(line) for line in details.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["gm-1", "gm-2", "gm-3", "gm-4"]
    assert records[0]["gold"]["fatalities"] == 4 and records[0]["prediction"]["fatalities"] == 4
    assert records[2]["prediction"] is None and records[2]["found"] is False
    assert set(records[0]["verdicts"]) >= {"event_type", "within_25km", "actor1"}


def test_details_need_an_existing_folder(tmp_path):
    from geomap.evaluation.events import EventScores

    with pytest.raises(InputError, match="folder does not exist"):
        EventScores("x").write_details(tmp_path / "no" / "details.jsonl")
