"""The text pipeline: article files -> place mentions -> located events.

``extract_paths(["article.txt", "folder/"], date="2015-09-30")`` yields one
:class:`~geomap.model.ExtractResult` per article, or the
:class:`~geomap.errors.InputError` of a file that could not be read; a bad
file never stops the batch.  Place mentions come from
:func:`geomap.text.resolve.geoparse`, routed through the geocode cache by
default (so every place an article used can be listed, pinned and refreshed
offline); events come from :func:`geomap.text.events.extract_events`.
Writing the results is :mod:`geomap.formats`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING

from geomap.errors import GazetteerError, GeomapError, InputError
from geomap.model import Article, ExtractResult, Mention
from geomap.text.articles import MAX_ARTICLE_BYTES, iter_articles
from geomap.text.events import extract_events
from geomap.text.resolve import PlaceResolver, geoparse

if TYPE_CHECKING:
    from geomap.gazetteer import Gazetteer

#: ``geoparser(text, *, gazetteer, geocoder, doc_id) -> list[Mention]``
Geoparser = Callable[..., list[Mention]]


def extract_article(
    article: Article,
    *,
    gazetteer: Gazetteer | None = None,
    geocoder: PlaceResolver | None = None,
    geoparser: Geoparser | None = None,
) -> ExtractResult:
    """Mentions and events of one article.

    A failure to locate places (other than a missing gazetteer, which stops
    everything) is recorded in ``errors`` and the events are still read from
    the text, unlocated.  ``geoparser`` replaces the gazetteer-driven one
    (:func:`~geomap.text.resolve.geoparse`), which needs ``gazetteer``.
    """
    if gazetteer is None and geoparser is None:
        raise TypeError("extract_article() needs a gazetteer (or a geoparser)")
    parse: Geoparser = geoparser or geoparse
    errors: list[str] = []
    try:
        with _writes_held(geocoder):
            mentions = parse(
                article.text, gazetteer=gazetteer, geocoder=geocoder, doc_id=article.doc_id
            )
    except GazetteerError:
        raise
    except GeomapError as exc:
        mentions = []
        errors.append(f"{article.path or article.doc_id}: places not resolved: {exc}")
    events = extract_events(article, mentions, gazetteer=gazetteer)
    return ExtractResult(article, mentions, events, errors)


def _writes_held(geocoder: PlaceResolver | None) -> AbstractContextManager[object]:
    """A block in which the geocoder holds the new answers it caches and writes them at
    its end, one write per document (a :class:`~geomap.geocoding.Geocoder` can; other
    resolvers write as they go)."""
    hold = getattr(geocoder, "deferring_writes", None)
    return hold() if callable(hold) else nullcontext()


def extract_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    date: str | None = None,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    gazetteer: Gazetteer | None = None,
    geocoder: PlaceResolver | None = None,
    geoparser: Geoparser | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
) -> Iterator[ExtractResult | InputError]:
    """Extract every article under ``paths``; unreadable files yield their error.

    Places are found by ``geoparser``, by default the gazetteer-driven one,
    which needs ``gazetteer``; ``geocoder`` (optional) records every place
    used in the geocode cache.  An unexpected error in one article is reported
    as that file's error and the batch goes on.
    """
    if geoparser is None and gazetteer is None:
        raise TypeError("extract_paths() needs a gazetteer (or a geoparser)")
    for item in iter_articles(
        paths, date=date, source=source, url=url, title=title, max_bytes=max_bytes
    ):
        if isinstance(item, InputError):
            yield item
            continue
        yield _extract_one(item, gazetteer, geocoder, geoparser or geoparse)


def _extract_one(
    article: Article,
    gazetteer: Gazetteer | None,
    geocoder: PlaceResolver | None,
    geoparser: Geoparser,
) -> ExtractResult | InputError:
    """One article of a batch; its failure becomes its file's error."""
    try:
        return extract_article(article, gazetteer=gazetteer, geocoder=geocoder, geoparser=geoparser)
    except GazetteerError:
        raise
    except GeomapError as exc:
        return InputError(f"{article.path}: {exc}")
    except Exception as exc:  # noqa: BLE001 - one article's bug must not lose the batch
        return InputError(
            f"{article.path}: could not be processed ({type(exc).__name__}: {exc}). "
            "Fix: report this file as a bug; the other files were processed."
        )
