"""The text pipeline: article files -> place mentions -> located events -> JSON/GeoJSON/CSV.

``extract_paths(["article.txt", "folder/"], date="2015-09-30")`` yields one
:class:`ExtractResult` per article, or the :class:`~geomap.errors.InputError`
of a file that could not be read; a bad file never stops the batch.  Place
mentions come from :func:`geomap.resolve.geoparse`, routed through the
geocode cache by default (so every place an article used can be listed,
pinned and refreshed offline); events come from
:func:`geomap.events.extract_events`.

Output formats (:func:`write_results`):

* ``json``: ``{"documents": [{doc_id, path, title, date, date_basis, source,
  url, format, mentions: [...], events: [...], errors: [...]}], "errors":
  [{path, message}], "summary": {...}}``; events use ``Event.to_record()``
  keys (:data:`~geomap.models.EVENT_COLUMNS`) plus ``extra``.
* ``geojson``: a FeatureCollection of every event (properties are the event
  record; events without coordinates get ``"geometry": null``).  Context
  figures are included with ``is_context: true`` so that nothing is hidden;
  a map or sum must filter on it.
* ``csv``: one row per event, :data:`~geomap.models.EVENT_COLUMNS` as header.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from geomap.errors import GazetteerError, GeomapError, InputError
from geomap.model import EVENT_COLUMNS, Event, Mention
from geomap.text.articles import MAX_ARTICLE_BYTES, Article, article_from_text, iter_articles
from geomap.text.events import extract_events

FORMATS = ("json", "geojson", "csv")

#: ``geoparser(text, *, gazetteer, geocoder, doc_id) -> list[Mention]``
Geoparser = Callable[..., list[Mention]]


@dataclass(slots=True)
class ExtractResult:
    """What one article gave."""

    article: Article
    mentions: list[Mention]
    events: list[Event]
    errors: list[str] = field(default_factory=list)


def _default_geoparser() -> Geoparser:
    from geomap.text.resolve import geoparse

    return geoparse


def extract_article(
    article: Article,
    *,
    gazetteer: Any = None,
    geocoder: Any = None,
    geoparser: Geoparser | None = None,
) -> ExtractResult:
    """Mentions and events of one article.

    A failure to locate places (other than a missing gazetteer, which stops
    everything) is recorded in ``errors`` and the events are still read from
    the text, unlocated.
    """
    parse = geoparser or _default_geoparser()
    errors: list[str] = []
    try:
        mentions = parse(
            article.text, gazetteer=gazetteer, geocoder=geocoder, doc_id=article.doc_id
        )
    except GazetteerError:
        raise
    except GeomapError as exc:
        mentions = []
        errors.append(f"{article.path or article.doc_id}: places not resolved: {exc}")
    events = extract_events(article, mentions)
    return ExtractResult(article, mentions, events, errors)


def extract_text(
    text: str,
    *,
    date: str | None = None,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    gazetteer: Any = None,
    geocoder: Any = None,
    geoparser: Geoparser | None = None,
) -> ExtractResult:
    """Like :func:`extract_article` for a string (first line = title, front matter allowed)."""
    article = article_from_text(text, date=date, source=source, url=url, title=title)
    return extract_article(article, gazetteer=gazetteer, geocoder=geocoder, geoparser=geoparser)


def extract_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    date: str | None = None,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    gazetteer: Any = None,
    geocoder: Any = None,
    geoparser: Geoparser | None = None,
    use_cache: bool = True,
    max_bytes: int = MAX_ARTICLE_BYTES,
) -> Iterator[ExtractResult | InputError]:
    """Extract every article under ``paths``; unreadable files yield their error.

    With ``geoparser`` left to the default, the gazetteer is opened once, and
    unless ``use_cache=False`` a :class:`~geomap.geocode.Geocoder` over the
    geocode cache records every place used.  An unexpected error in one
    article is reported as that file's error and the batch goes on.
    """
    owned: list[Any] = []
    if geoparser is None:
        geoparser = _default_geoparser()
        if gazetteer is None:
            from geomap.gazetteer import Gazetteer

            gazetteer = Gazetteer.open_or_build()
            owned.append(gazetteer)
        if geocoder is None and use_cache:
            from geomap.geocoding import Geocoder

            geocoder = Geocoder(gazetteer=gazetteer)
            owned.insert(0, geocoder)
    try:
        for item in iter_articles(
            paths, date=date, source=source, url=url, title=title, max_bytes=max_bytes
        ):
            if isinstance(item, InputError):
                yield item
                continue
            try:
                yield extract_article(
                    item, gazetteer=gazetteer, geocoder=geocoder, geoparser=geoparser
                )
            except GazetteerError:
                raise
            except GeomapError as exc:
                yield InputError(f"{item.path}: {exc}")
            except Exception as exc:  # noqa: BLE001 - one article's bug must not lose the batch
                yield InputError(
                    f"{item.path}: could not be processed ({type(exc).__name__}: {exc}). "
                    "Fix: report this file as a bug; the other files were processed."
                )
    finally:
        for obj in owned:
            obj.close()


# --------------------------------------------------------------------------- output


def mention_record(m: Mention) -> dict[str, Any]:
    rec = dataclasses.asdict(m)
    rec["resolved"] = m.resolved
    return rec


def event_record(e: Event, *, extra: bool = True) -> dict[str, Any]:
    rec = e.to_record()
    if extra:
        rec["extra"] = e.extra
    return rec


def results_to_json(results: list[ExtractResult], errors: list[InputError]) -> dict[str, Any]:
    docs = []
    for r in results:
        a = r.article
        docs.append(
            {
                "doc_id": a.doc_id,
                "path": a.path,
                "title": a.title,
                "date": a.date,
                "date_basis": a.date_basis,
                "source": a.source,
                "url": a.url,
                "format": a.format,
                "chars": len(a.text),
                "mentions": [mention_record(m) for m in r.mentions],
                "events": [event_record(e) for e in r.events],
                "errors": r.errors,
            }
        )
    events = [e for r in results for e in r.events]
    return {
        "documents": docs,
        "errors": [{"message": str(e)} for e in errors],
        "summary": {
            "documents": len(results),
            "failed": len(errors),
            "events": sum(not e.is_context for e in events),
            "context_figures": sum(e.is_context for e in events),
            "mentions": sum(len(r.mentions) for r in results),
        },
    }


def events_to_geojson(events: Iterable[Event]) -> dict[str, Any]:
    features = []
    for e in events:
        geometry = None
        if e.latitude is not None and e.longitude is not None:
            geometry = {"type": "Point", "coordinates": [e.longitude, e.latitude]}
        features.append(
            {"type": "Feature", "id": e.event_id, "geometry": geometry, "properties": e.to_record()}
        )
    return {"type": "FeatureCollection", "features": features}


def write_events_csv(events: Iterable[Event], fh: IO[str]) -> None:
    writer = csv.DictWriter(fh, fieldnames=list(EVENT_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for e in events:
        rec = e.to_record()
        writer.writerow({k: ("" if v is None else v) for k, v in rec.items()})


def write_results(
    results: list[ExtractResult], errors: list[InputError], fmt: str, fh: IO[str]
) -> None:
    """Write ``results`` to ``fh`` as ``json``, ``geojson`` or ``csv``."""
    if fmt not in FORMATS:
        raise InputError(
            f"unknown output format, instead got: {fmt!r}. Fix: use one of {', '.join(FORMATS)}."
        )
    events = [e for r in results for e in r.events]
    if fmt == "json":
        json.dump(results_to_json(results, errors), fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    elif fmt == "geojson":
        json.dump(events_to_geojson(events), fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    else:
        write_events_csv(events, fh)
