"""Accuracy of event extraction against coded events (JSON Lines, one event per note).

Each line of the gold file is one document and the event it reports, in the
layout of ACLED's coded rows: ``text`` (the note or article, the input),
``doc_date`` (the document's date, as for a next-day report) and the gold
fields ``event_date``, ``date_in_text``, ``event_type``, ``sub_event_type``,
``actor1``, ``latitude``, ``longitude`` and ``fatalities``; ``id`` names the row
(else its line number).  A missing gold field is not scored for that row.

How a row is scored (the rules of the shared dev set, so that figures compare):

* **found**: the document yields at least one event (context figures are
  ignored); the other events are *extra*.
* Among several events of a document the best-aligned one is scored: within
  25 km first, then the type, the fatalities and the date.
* **event_type** and **sub_event_type**: exact (the sub-type only where the
  gold has one).  **date**: exact, also reported on the rows whose text states
  the date.  **fatalities**: the event's count (unknown counts as 0), exact and
  within max(2, 20%).  **location**: WGS84 geodesic km from the event's point
  (an event without a point fails), within 25 and 100 km.  **actor1**: the
  gold's main name (before the first "("; for "ABC: Long Name" either part)
  contained in the predicted actor1 or containing it, ignoring case and hyphens.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.errors import InputError
from geomap.geo import geodesic_km
from geomap.model import Article, Event
from geomap.text import extract_article
from geomap.workspace import Workspace

if TYPE_CHECKING:
    from geomap.gazetteer import Gazetteer

#: the verdicts of a row, in table order: (key, label)
VERDICTS: tuple[tuple[str, str], ...] = (
    ("event_type", "event_type"),
    ("sub_event_type", "sub_event_type"),
    ("date", "date exact"),
    ("date_in_text", "date exact (date in text)"),
    ("fatalities_exact", "fatalities exact"),
    ("fatalities_close", "fatalities within max(2, 20%)"),
    ("within_25km", "location within 25 km"),
    ("within_100km", "location within 100 km"),
    ("actor1", "actor1"),
)


@dataclass(frozen=True, slots=True)
class GoldRow:
    """One coded document: its text and the gold fields (``None`` when absent)."""

    row_id: str
    line: int
    text: str
    doc_date: str | None
    record: dict[str, Any]

    def get(self, name: str) -> Any:
        value = self.record.get(name)
        return None if value == "" else value


@dataclass(slots=True)
class RowResult:
    """What geomap made of one gold row, and the verdicts."""

    row: GoldRow
    events: list[Event]
    best: Event | None
    verdicts: dict[str, bool | None]
    distance_km: float | None = None

    @property
    def found(self) -> bool:
        return self.best is not None

    @property
    def extra(self) -> int:
        return max(0, len(self.events) - 1)

    def details(self) -> dict[str, Any]:
        """The row as one JSON-ready record: gold, prediction, verdicts."""
        best = self.best
        return {
            "id": self.row.row_id,
            "line": self.row.line,
            "text": self.row.text,
            "gold": {k: v for k, v in self.row.record.items() if k not in ("id", "text")},
            "found": self.found,
            "extra_events": self.extra,
            "prediction": _prediction(best) if best is not None else None,
            "others": [_prediction(e) for e in self.events if e is not best],
            "distance_km": None if self.distance_km is None else round(self.distance_km, 1),
            "verdicts": self.verdicts,
        }


@dataclass(slots=True)
class EventScores:
    """The scored rows of a gold file; :meth:`table` and :meth:`summary` give the figures."""

    path: str
    rows: list[RowResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "line N: reason" of unreadable rows

    @property
    def found(self) -> int:
        return sum(r.found for r in self.rows)

    @property
    def extra(self) -> int:
        return sum(r.extra for r in self.rows)

    def counts(self, key: str) -> tuple[int, int]:
        """``(hits, scored)`` of one verdict over the found rows that have its gold field."""
        values = [r.verdicts.get(key) for r in self.rows if r.found]
        scored = [v for v in values if v is not None]
        return sum(scored), len(scored)

    def summary(self) -> dict[str, Any]:
        """The figures as a flat dict (shares rounded to 4 places)."""
        n = len(self.rows)
        out: dict[str, Any] = {
            "file": self.path,
            "rows": n,
            "skipped": len(self.skipped),
            "found": self.found,
            "recall": _share(self.found, n),
            "extra_events": self.extra,
            "extra_per_row": _share(self.extra, n),
        }
        for key, _ in VERDICTS:
            hits, scored = self.counts(key)
            out[key] = {"hits": hits, "scored": scored, "share": _share(hits, scored)}
        return out

    def table(self) -> str:
        """A plain-text table: found and extra events, then each verdict among found rows."""
        n = len(self.rows)
        lines = [
            f"{'measure':<32} {'hits':>6} {'of':>6} {'share':>6}",
            "-" * 53,
            f"{'event found (recall)':<32} {self.found:>6} {n:>6} {_share(self.found, n):>6.3f}",
            f"{'extra events per row':<32} {self.extra:>6} {n:>6} {_share(self.extra, n):>6.3f}",
        ]
        for key, label in VERDICTS:
            hits, scored = self.counts(key)
            lines.append(f"{label:<32} {hits:>6} {scored:>6} {_share(hits, scored):>6.3f}")
        lines.append("(verdicts among the found rows that carry the gold field)")
        if self.skipped:
            lines.append(f"{len(self.skipped)} row(s) skipped: " + "; ".join(self.skipped[:5]))
        return "\n".join(lines)

    def write_details(self, path: str | os.PathLike[str]) -> None:
        """One JSON line per row (gold, prediction, verdicts), written whole at the end."""
        from geomap.files import open_replacing

        target = Path(path)
        if not target.parent.is_dir():
            raise InputError(
                f"The details file {str(target)!r}: its folder does not exist. "
                "Fix: create it or pick another path."
            )
        with open_replacing(target) as fh:
            for r in self.rows:
                fh.write(json.dumps(r.details(), ensure_ascii=False) + "\n")


def _share(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 0.0


def _prediction(e: Event) -> dict[str, Any]:
    return {
        "event_type": e.event_type,
        "sub_event_type": e.sub_event_type,
        "event_date": e.event_date,
        "fatalities": e.fatalities,
        "actor1": e.actor1,
        "actor2": e.actor2,
        "location": e.location,
        "country": e.country,
        "admin1": e.admin1,
        "latitude": e.latitude,
        "longitude": e.longitude,
        "geo_precision": e.geo_precision,
        "notes": e.notes,
    }


# --------------------------------------------------------------------------
# reading
# --------------------------------------------------------------------------


def read_gold(path: str | os.PathLike[str], *, skipped: list[str]) -> Iterator[GoldRow]:
    """The rows of a JSON Lines gold file; an unreadable row is added to ``skipped``."""
    target = Path(path)
    try:
        fh = open(target, encoding="utf-8")  # noqa: SIM115 - closed below, rows are streamed
    except OSError as exc:
        raise InputError(
            f"Cannot read the events file {str(target)!r}: {exc.strerror or exc}. "
            "Fix: pass a JSON Lines file, one coded event a line."
        ) from None
    with fh:
        try:
            for n, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                row = _gold_row(line, n, skipped)
                if row is not None:
                    yield row
        except UnicodeDecodeError:
            raise InputError(
                f"The events file {str(target)!r} is not UTF-8 text. "
                "Fix: pass a JSON Lines file in UTF-8."
            ) from None


def _gold_row(line: str, n: int, skipped: list[str]) -> GoldRow | None:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as exc:
        skipped.append(f"line {n}: not JSON ({str(exc)[:60]})")
        return None
    if not isinstance(record, dict):
        skipped.append(f"line {n}: not a JSON object")
        return None
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        skipped.append(f"line {n}: no 'text'")
        return None
    doc_date = record.get("doc_date")
    if doc_date is not None:
        from geomap.dates import parse_date

        try:
            doc_date = parse_date(doc_date)
        except ValueError:
            doc_date = None
        if doc_date is None:
            skipped.append(f"line {n}: 'doc_date' is not a date")
            return None
    row_id = str(record.get("id") or f"line-{n}")
    return GoldRow(row_id, n, text, doc_date, record)


# --------------------------------------------------------------------------
# scoring
# --------------------------------------------------------------------------


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(str(value))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _distance(e: Event, row: GoldRow) -> float | None:
    """km from the event's point to the gold point; ``inf`` without a point, ``None``
    without a gold point."""
    lat, lon = _number(row.get("latitude")), _number(row.get("longitude"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    if e.latitude is None or e.longitude is None:
        return math.inf
    return geodesic_km(e.latitude, e.longitude, lat, lon)


def _fold(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").split())


def actor_matches(gold: str, predicted: str) -> bool:
    """Does the predicted actor1 name the gold's main actor (see the module docs)?"""
    pred = _fold(predicted)
    main = gold.split("(", 1)[0]
    names = [main, *main.split(":", 1)] if ":" in main else [main]
    for name in (_fold(x) for x in names):
        if name and pred and (name in pred or pred in name):
            return True
    return False


def fatalities_close(predicted: int, gold: int) -> bool:
    """Within max(2, 20% of the gold count)."""
    return abs(predicted - gold) <= max(2.0, 0.2 * gold)


def verdicts(e: Event, row: GoldRow, distance: float | None) -> dict[str, bool | None]:
    """Each verdict of one predicted event against its row (``None``: no gold to score)."""
    gold_type, gold_sub = row.get("event_type"), row.get("sub_event_type")
    gold_date, gold_dead = row.get("event_date"), _number(row.get("fatalities"))
    gold_actor = row.get("actor1")
    date_ok = None if gold_date is None else e.event_date == str(gold_date)
    dead = e.fatalities or 0
    return {
        "event_type": None if gold_type is None else e.event_type == gold_type,
        "sub_event_type": None if gold_sub is None else e.sub_event_type == gold_sub,
        "date": date_ok,
        "date_in_text": date_ok if row.get("date_in_text") is True else None,
        "fatalities_exact": None if gold_dead is None else dead == int(gold_dead),
        "fatalities_close": None if gold_dead is None else fatalities_close(dead, int(gold_dead)),
        "within_25km": None if distance is None else distance <= 25.0,
        "within_100km": None if distance is None else distance <= 100.0,
        "actor1": None if gold_actor is None else actor_matches(str(gold_actor), e.actor1),
    }


def score_row(row: GoldRow, events: list[Event]) -> RowResult:
    """Align the best of ``events`` (context figures left out) with the row and judge it."""
    real = [e for e in events if not e.is_context]
    if not real:
        return RowResult(row, real, None, {key: None for key, _ in VERDICTS})
    judged = []
    for e in real:
        d = _distance(e, row)
        v = verdicts(e, row, d)
        rank = (v["within_25km"] is True, v["event_type"] is True, v["fatalities_exact"] is True,
                v["date"] is True)  # fmt: skip
        judged.append((rank, e, v, d))
    rank, best, v, d = max(judged, key=lambda j: j[0])
    return RowResult(row, real, best, v, None if d is None or math.isinf(d) else d)


def evaluate_rows(
    rows: list[GoldRow], *, gazetteer: Gazetteer, path: str = "", skipped: list[str] | None = None
) -> EventScores:
    """Extract each row's text (dated ``doc_date``) and score it."""
    scores = EventScores(path, skipped=list(skipped or []))
    for row in rows:
        article = Article(doc_id=row.row_id, title="", text=row.text, date=row.doc_date)
        result = extract_article(article, gazetteer=gazetteer)
        scores.rows.append(score_row(row, result.events))
    return scores


def evaluate_events(
    path: str | os.PathLike[str],
    *,
    limit: int | None = None,
    gazetteer: Gazetteer | None = None,
    workspace: Workspace | None = None,
) -> EventScores:
    """Score event extraction on the JSON Lines gold file at ``path``.

    The gazetteer is ``gazetteer``, else the workspace's; nothing is written to
    the geocode cache.  Unreadable rows are skipped and listed; a file with no
    readable row is an :class:`~geomap.errors.InputError`.
    """
    skipped: list[str] = []
    rows: list[GoldRow] = []
    for row in read_gold(path, skipped=skipped):
        if limit is not None and len(rows) >= limit:
            break
        rows.append(row)
    if not rows:
        why = f" ({'; '.join(skipped[:3])})" if skipped else ""
        raise InputError(
            f"No readable row in the events file {str(path)!r}{why}. Fix: pass JSON Lines, one "
            'object a line with at least "text" (see geomap eval --help).'
        )
    if gazetteer is not None:
        return evaluate_rows(rows, gazetteer=gazetteer, path=str(path), skipped=skipped)
    ws = workspace if workspace is not None else Workspace()
    try:
        return evaluate_rows(rows, gazetteer=ws.gazetteer, path=str(path), skipped=skipped)
    finally:
        if workspace is None:
            ws.close()
