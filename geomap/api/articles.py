"""Public functions for articles: extraction, writing results, accuracy."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from geomap.errors import InputError
from geomap.model import ExtractResult
from geomap.workspace import Workspace

if TYPE_CHECKING:
    from geomap.evaluation.events import EventScores
    from geomap.evaluation.geoparse import Scores

PathLike = str | os.PathLike[str]


def extract(
    paths: PathLike | Iterable[PathLike],
    *,
    date: str | None = None,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    use_cache: bool = True,
    max_bytes: int | None = None,
    workspace: Workspace | None = None,
) -> Iterator[ExtractResult | InputError]:
    """Read article files (text or HTML, or folders of them) into mentions and events.

    Yields one :class:`~geomap.model.ExtractResult` per article, or the
    :class:`~geomap.errors.InputError` of a file that could not be read (the
    batch goes on).  ``date`` is the publication date ("Wednesday" in the text
    is resolved against it); ``use_cache=False`` keeps the places out of the
    geocode cache.  See :func:`extract_text` for a string.

    Examples
    --------
    >>> import geomap, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "rastan.txt").write_text(
    ...     "Strikes on Rastan\\nAirstrikes killed 12 people in Rastan on Monday.\\n")
    >>> _ = (folder / "empty.txt").write_text("")
    >>> for item in geomap.extract(folder, date="2015-10-05"):  # files in name order
    ...     print(item if isinstance(item, geomap.InputError) else item.events[0].event_date)
    /.../empty.txt: the file is empty...
    2015-10-05
    """
    from geomap.text import MAX_ARTICLE_BYTES, extract_paths

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if date is not None:
        date = parse_date(date, what="date")
    if workspace is None:
        with Workspace() as ws:
            yield from extract(
                paths, date=date, source=source, url=url, title=title, use_cache=use_cache,
                max_bytes=max_bytes, workspace=ws,
            )  # fmt: skip
        return
    yield from extract_paths(
        paths, date=date, source=source, url=url, title=title,
        gazetteer=workspace.gazetteer, geocoder=workspace.geocoder if use_cache else None,
        max_bytes=MAX_ARTICLE_BYTES if max_bytes is None else max_bytes,
    )  # fmt: skip


def extract_text(
    text: str,
    *,
    date: str | None = None,
    title: str | None = None,
    source: str = "",
    url: str = "",
    workspace: Workspace | None = None,
) -> ExtractResult:
    """Mentions and events of one article given as a string (its first line is the title).

    Examples
    --------
    >>> import geomap
    >>> result = geomap.extract_text(
    ...     "Strikes on Rastan\\n"
    ...     "Russian airstrikes killed at least 33 civilians in the town of Rastan "
    ...     "in Homs province on Wednesday, a doctor told Reuters.",
    ...     date="2015-09-30",
    ... )
    >>> (event,) = result.events
    >>> event.event_type, event.location, event.deaths_low, event.event_date
    ('Explosions/Remote violence', 'Ar Rastan', 33, '2015-09-30')
    """
    from geomap.text import article_from_text, extract_article

    if date is not None:
        date = parse_date(date, what="date")
    article = article_from_text(text, date=date, title=title, source=source, url=url)
    if workspace is None:
        with Workspace() as ws:
            return extract_article(article, gazetteer=ws.gazetteer, geocoder=ws.geocoder)
    return extract_article(article, gazetteer=workspace.gazetteer, geocoder=workspace.geocoder)


def write_results(
    results: Sequence[ExtractResult],
    output: PathLike | IO[str],
    *,
    fmt: str = "json",
    errors: Sequence[InputError] = (),
) -> None:
    """Write extraction results as ``json`` (the extract JSON that :func:`ingest`
    reads back), ``geojson`` or ``csv`` (one row per event) to a file, written
    whole and renamed into place at the end, or to an open text stream.

    ``errors`` (the files that failed) go into the JSON's ``errors`` list.

    Examples
    --------
    >>> import geomap, io, json
    >>> result = geomap.extract_text(
    ...     "Strikes on Rastan\\nAirstrikes killed 12 people in Rastan on Monday.",
    ...     date="2015-10-05")
    >>> out = io.StringIO()
    >>> geomap.write_results([result], out)
    >>> json.loads(out.getvalue())["summary"]["events"]
    1
    """
    from geomap.files import open_replacing
    from geomap.formats import write_results as write

    if isinstance(output, (str, os.PathLike)):
        path = Path(output)
        if not path.parent.is_dir():
            raise InputError(
                f"The output {str(path)!r}: its folder does not exist. "
                "Fix: create it or pick another path."
            )
        with open_replacing(path, newline="") as fh:
            write(results, errors, fmt, fh)
    else:
        write(results, errors, fmt, output)


def parse_date(value: str, *, what: str = "date") -> str:
    """The ISO ``YYYY-MM-DD`` of a date as people write it; InputError naming ``what`` if none.

    Examples
    --------
    >>> import geomap
    >>> geomap.parse_date("30 September 2015")
    '2015-09-30'
    """
    from geomap.text import parse_date as parse

    return parse(value, what=what)


def evaluate(
    corpus: PathLike, *, demonyms: bool = False, limit: int | None = None,
    workspace: Workspace | None = None,
) -> Scores:  # fmt: skip
    """Score recognition and resolution on gold-annotated corpora (LGL, TR-News,
    GeoVirus XML; a file or a folder); one score per corpus.

    Examples
    --------
    >>> import geomap, tempfile, pathlib
    >>> corpus = pathlib.Path(tempfile.mkdtemp()) / "tiny.xml"
    >>> _ = corpus.write_text(
    ...     "<articles><article docid='1'><text>Shelling hit Homs.</text><toponyms>"
    ...     "<toponym><start>13</start><end>17</end><phrase>Homs</phrase>"
    ...     "<gaztag geonameid='169577'><lat>34.72682</lat><lon>36.72339</lon></gaztag>"
    ...     "</toponym></toponyms></article></articles>")
    >>> (score,) = geomap.evaluate(corpus)
    >>> score.exact, score.acc161  # precision, recall, F1; share within 161 km
    ((1.0, 1.0, 1.0), 1.0)
    """
    from geomap.evaluation import evaluate as score

    return score(corpus, demonyms=demonyms, limit=limit, workspace=workspace)


def evaluate_events(
    path: PathLike, *, limit: int | None = None, workspace: Workspace | None = None
) -> EventScores:
    """Score event extraction on coded events: a JSON Lines file, one document a line.

    Each line holds the document's ``text`` and ``doc_date`` and the gold
    fields (ACLED's names: ``event_type``, ``sub_event_type``, ``event_date``,
    ``date_in_text``, ``fatalities``, ``latitude``, ``longitude``, ``actor1``).
    The result's :meth:`~geomap.evaluation.events.EventScores.table` gives
    events found and extra, then type, sub-type, date, fatalities (exact and
    within max(2, 20%)), location within 25 and 100 km and actor1 among the
    found events; ``rows`` holds each row's prediction and verdicts, and
    ``write_details(path)`` writes them as JSON Lines.  Nothing is written to
    the geocode cache.

    Examples
    --------
    >>> import geomap, json, tempfile, pathlib
    >>> gold = pathlib.Path(tempfile.mkdtemp()) / "coded.jsonl"
    >>> row = {"id": "r1", "doc_date": "2015-10-06", "event_date": "2015-10-05",
    ...        "text": "On 5 October 2015, an airstrike killed 4 civilians in Rastan (Homs).",
    ...        "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike",
    ...        "fatalities": 4, "latitude": 34.927, "longitude": 36.732, "actor1": ""}
    >>> _ = gold.write_text(json.dumps(row) + "\\n")
    >>> scores = geomap.evaluate_events(gold)
    >>> verdicts = scores.rows[0].verdicts
    >>> scores.found, verdicts["fatalities_exact"], verdicts["within_25km"]
    (1, True, True)
    """
    from geomap.evaluation.events import evaluate_events as score

    return score(path, limit=limit, workspace=workspace)
