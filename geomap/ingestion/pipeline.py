"""The ingest job: event tables, extract output and articles into the event store.

Formats (``format="auto"`` guesses from the file name and header):

``acled``    ACLED-style CSV/XLSX (:mod:`geomap.ingestion.acled`).
``ucdp``     UCDP GED CSV/XLSX (:mod:`geomap.ingestion.ucdp`).
``gdelt``    GDELT event tables, with a header or raw exports (:mod:`geomap.ingestion.gdelt`).
``csv``      any CSV/XLSX with a place-name column, geocoded in one batch
             (:mod:`geomap.ingestion.names`).
``extract``  ``geomap extract`` JSON / JSON-lines output (:mod:`geomap.formats.extract_json`).
``article``  article files (.txt, .html, .md): run through ``geomap.text.extract_paths``.

One precision scale.  ``geo_precision`` keeps ACLED's 1-3 meaning (1 = the
town itself, 2 = near a town / a small area, 3 = a region, placed at its
admin-1 or a representative point); the original code is kept in
``precision_source`` ("acled:2", "ucdp:4", "gdelt:4", "gazetteer:city").

Deaths: ACLED fatalities -> deaths_low = deaths_best = deaths_high;
UCDP low/best/high as given; ``fatalities`` is always the best estimate.

Every value is checked once, where it enters the store
(:mod:`geomap.store.validate`), whatever the format.  A bad row never stops a
batch: it is reported (file, line or event number, reason) and skipped; so
is a row repeating an id earlier in the same file (both lines are named).
A row whose id is stored already replaces the stored row only from the same
input format and with ``replace`` ("updated"); otherwise it is reported as
not replaced.  Context figures are stored apart from events.  A bad file
(not UTF-8, empty, binary, wrong format, missing column) is reported and the
other files are still ingested.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from geomap.errors import ConfigurationError, GeomapError, InputError, quote
from geomap.formats import read_extract_json
from geomap.ingestion import acled, gdelt, ucdp
from geomap.ingestion.chunks import collector_paused, parse_table
from geomap.ingestion.names import names_events
from geomap.ingestion.report import IngestReport, Rejected
from geomap.ingestion.tables import FORMATS, Table, decode, detect_format, read_table
from geomap.ingestion.values import normalise_type
from geomap.model import Event, ExtractResult, Mention
from geomap.store import EventStore, assign_admin
from geomap.workspace import Workspace

if TYPE_CHECKING:
    from geomap.gazetteer import Gazetteer
    from geomap.geocoding import Geocoder

#: Rows written per transaction: a run killed mid-file keeps every whole batch.  Larger
#: transactions write each index page they touch fewer times once the store outgrows
#: SQLite's page cache (about 8% less CPU at 1M rows than 5,000, for ~140 MB more memory).
BATCH_ROWS = 20000


class RowFormat(NamedTuple):
    """A table format whose every row is one located event (its rows are read by
    :mod:`geomap.ingestion.chunks`)."""

    label: str  # for messages ("UCDP GED")
    required: tuple[str, ...]  # columns it cannot do without


ROW_FORMATS = {
    "acled": RowFormat(acled.LABEL, acled.REQUIRED),
    "ucdp": RowFormat(ucdp.LABEL, ucdp.REQUIRED),
    "gdelt": RowFormat(gdelt.LABEL, gdelt.REQUIRED),
}


class _Job:
    """One ingest run: files in, events stored, everything counted in ``report``.

    The store is opened first (a store that cannot be opened stops the run
    before anything is read); the gazetteer and the geocoder only when an
    input needs them.
    """

    def __init__(
        self,
        workspace: Workspace,
        *,
        geocoder: Geocoder | None,
        country: str,
        location_column: str | None,
        date: str | None,
        progress: bool | None,
        replace: bool = False,
    ) -> None:
        self.workspace = workspace
        self.store: EventStore = workspace.store
        self.report = IngestReport()
        self.replace = replace
        self._first_lines: dict[str, dict[str, int]] = {}  # file -> event_id -> first line
        self._geocoder = geocoder
        self.country = country
        self.location_column = location_column
        self.date = date
        self.progress = progress
        self._gazetteer: Gazetteer | None = None
        self._gazetteer_tried = False

    # -- what the inputs may need -------------------------------------------
    def gazetteer(self) -> Gazetteer | None:
        """The workspace's gazetteer, or None when it cannot be opened: it only names
        admin-1 regions and countries here, and the events are worth storing without."""
        if not self._gazetteer_tried:
            self._gazetteer_tried = True
            try:
                self._gazetteer = self.workspace.gazetteer
            except GeomapError:
                self._gazetteer = None
        return self._gazetteer

    def geocoder(self) -> Geocoder:
        """The geocoder for place names: the one given, else the workspace's."""
        return self._geocoder or self.workspace.geocoder

    def country_name(self) -> str:
        """The name of the ``country`` option's country ("" without one)."""
        gazetteer = self.gazetteer() if self.country else None
        place = gazetteer.country(self.country) if gazetteer is not None else None
        return place.country if place is not None else ""

    # -- the run -------------------------------------------------------------
    def run(self, paths: Iterable[str | Path], fmt: str) -> IngestReport:
        """Ingest every file (articles last, in one batch); a bad file is reported and skipped."""
        articles: list[Path] = []
        for raw in paths:
            path = Path(raw)
            self.report.files.append(str(path))
            try:
                kind = _kind(path, fmt)
                if kind == "article":
                    articles.append(path)
                elif kind == "extract":
                    self.extract_json(path)
                else:
                    self.table(path, kind)
            except InputError as exc:
                self.report.errors.append(str(exc))
        if articles:
            self.articles(articles)
        self.report.events_in_store = self.store.count()
        self.report.sources_in_store = self.store.count_sources()
        return self.report

    def store_events(
        self, path: str, fmt: str, items: Sequence[tuple[int, Event]], *,
        input_file: str = "", what: str = "line",
    ) -> None:  # fmt: skip
        """Write one file's events (each with its line, or event number: ``what``), reporting
        rows that repeat an id of the file, that the store refuses, or that it keeps."""
        kept: list[tuple[int, Event]] = []
        first_lines = self._first_lines.setdefault(path, {})
        for line, event in items:
            first = first_lines.setdefault(event.event_id, line) if event.event_id else line
            if first != line:
                self.report.rejected.append(Rejected(path, line, (
                    f"event_id {event.event_id!r} is on {what} {first} too; this row is "
                    "skipped (an id names one row of a file)"), what))  # fmt: skip
            else:
                kept.append((line, event))
        if not kept:
            return
        gazetteer = self.gazetteer()

        def name_admin1(batch: list[Event]) -> None:
            assign_admin(batch, gazetteer=gazetteer)

        result = self.store.add_events(
            [e for _line, e in kept], input_format=fmt, input_file=input_file or path,
            replace=self.replace, before_write=name_admin1, batch_size=BATCH_ROWS,
        )  # fmt: skip
        lines = [line for line, _e in kept]
        self.report.rejected += [Rejected(path, lines[i], why, what) for i, why in result.rejected]
        self.report.not_replaced += [Rejected(path, lines[i], why, what) for i, why in result.kept]
        self.report.stored += result.added + result.updated
        self.report.updated += result.updated
        self.report.unchanged += result.unchanged
        self.report.context += result.context

    # -- per format ------------------------------------------------------------
    def table(self, path: Path, fmt: str) -> None:
        """A CSV/XLSX table, in ``fmt`` or (for "table"/"xlsx") the format its header shows."""
        table = read_table(path, stream=True)
        if fmt in ("table", "auto", "xlsx"):
            fmt = detect_format(path, table.columns)
        self.report.formats[str(path)] = fmt
        row_format = ROW_FORMATS.get(fmt)
        self.report.rows_read += len(table.problems)
        self.report.rejected += table.problems
        if row_format is None:
            self.names_table(table)
        else:
            self.located_table(table, fmt, row_format)

    def located_table(self, table: Table, fmt: str, row_format: RowFormat) -> None:
        """A table whose rows carry their coordinates, stored batch by batch."""
        table.require(row_format.required, row_format.label)
        self.report.rows_read += len(table.rows)
        batch: list[tuple[int, Event]] = []
        with collector_paused():
            for item in parse_table(table, fmt, show_progress=self.progress):
                if isinstance(item, Rejected):
                    self.report.rejected.append(item)
                    continue
                batch.append(item)
                if len(batch) >= BATCH_ROWS:
                    self.store_events(str(table.path), fmt, batch)
                    batch = []
            self.store_events(str(table.path), fmt, batch)

    def names_table(self, table: Table) -> None:
        """A table of place names, geocoded in one batch."""
        events = names_events(
            table,
            self.report,
            geocoder=self.geocoder,
            country=self.country,
            country_name=self.country_name,
            location_column=self.location_column,
            show_progress=self.progress,
        )
        self.store_events(str(table.path), "csv", events)

    def extract_json(self, path: Path) -> None:
        """``geomap extract`` output: its documents, mentions and events (numbered through
        the file, for messages)."""
        self.report.formats[str(path)] = "extract"
        number = 0
        for extracted in read_extract_json(path, decode(path)):
            number = self.store_extracted(extracted, str(path), "extract", number)

    def articles(self, paths: list[Path]) -> None:
        """Article files, read by the text pipeline with the workspace's gazetteer and cache."""
        from geomap.text import extract_paths

        for p in paths:
            self.report.formats[str(p)] = "article"
        results = extract_paths(
            [str(p) for p in paths],
            date=self.date or None,
            gazetteer=self.workspace.gazetteer,
            geocoder=self.workspace.geocoder,
        )
        for result in results:
            if isinstance(result, GeomapError):
                self.report.errors.append(str(result))
                continue
            path = result.article.path if result.article is not None else ""
            self.store_extracted(result, path or "", "article", 0)

    def store_extracted(self, result: ExtractResult, path: str, fmt: str, number: int) -> int:
        """A document with its mentions and events; the events are numbered from
        ``number`` + 1 (returns the last number used)."""
        for err in result.errors:
            self.report.rejected.append(Rejected(path, 0, str(err)))
        mentions, events = result.mentions, result.events
        if result.article is not None:
            try:
                self.store.add_document(result.article)
            except InputError as exc:
                self.report.rejected.append(Rejected(path, number + 1, str(exc), "event"))
                self.report.rows_read += len(events)
                return number + len(events)
            self.report.documents += 1
        if mentions:
            bad: list[tuple[int, str]] = []
            self.report.mentions += self.store.add_mentions(mentions, rejected=bad)
            self.report.rejected += [Rejected(path, i + 1, why, "mention") for i, why in bad]
        self.report.rows_read += len(events)
        _link_geocode_keys(events, mentions)
        for e in events:
            e.origin = e.origin or "text"
            if isinstance(e.event_type, str) and isinstance(e.sub_event_type, str):
                unknown = normalise_type(e)
                if unknown is not None:
                    self.report.unknown_types[unknown] += 1
        items = list(enumerate(events, start=number + 1))
        doc = result.article.doc_id if result.article is not None else ""
        self.store_events(path, fmt, items, input_file=f"doc:{doc}" if doc else "", what="event")
        return number + len(events)


def _link_geocode_keys(events: Sequence[Event], mentions: Sequence[Mention]) -> None:
    """Give each event without one the geocode key of the mention at its span."""
    keys: dict[tuple[int | None, int | None], str] = {
        (m.span_start, m.span_end): m.cache_key for m in mentions if m.cache_key
    }
    for e in events:
        if not e.geocode_key and (e.span_start, e.span_end) in keys:
            e.geocode_key = keys[(e.span_start, e.span_end)]


def _kind(path: Path, fmt: str) -> str:
    """How to read ``path``: ``fmt``, or with "auto" what its name says."""
    if not path.exists():
        raise InputError(f"No such file: {str(path)!r}. Fix: check the path.")
    if path.is_dir():
        raise InputError(f"{str(path)!r} is a directory. Fix: pass the files inside it.")
    return fmt if fmt != "auto" else detect_format(path)


def _check_options(format: str, country: str | None) -> tuple[str, str]:
    """The format (lower-case) and the ISO-2 country (upper-case, "" for none)."""
    fmt = (format or "auto").lower()
    if fmt not in FORMATS:
        raise InputError(
            f"Unknown ingest format, instead got: {quote(format)}."
            f" Fix: use one of {', '.join(FORMATS)}."
        )
    if country and not re.fullmatch(r"[A-Za-z]{2}", country.strip()):
        raise InputError(
            f"--country must be an ISO 3166-1 alpha-2 code, instead got: {quote(country)}. "
            "Fix: pass e.g. SY."
        )
    return fmt, (country or "").strip().upper()


def ingest_paths(
    paths: Iterable[str | Path],
    *,
    store: EventStore | str | os.PathLike[str] | None = None,
    format: str = "auto",
    location_column: str | None = None,
    country: str | None = None,
    geocoder: Geocoder | None = None,
    date: str | None = None,
    progress: bool | None = None,
    replace: bool = False,
    create: bool = False,
    workspace: Workspace | None = None,
) -> IngestReport:
    """Ingest tables, extract output and articles into the store; never dies on one bad row.

    Parameters
    ----------
    paths
        The files; their format is ``format``, or guessed from each name and header.
    store
        The event store (an open one, or a path; default :func:`geomap.config.store_path`),
        when no ``workspace`` is given.
    location_column, country
        For tables of place names: the column holding them, and the ISO-2
        country to look them up in (also the country of rows that give none).
    geocoder
        Geocodes the place names of tables (default: the workspace's).
    date
        The publication date of articles that carry none.
    progress
        A progress bar on stderr; by default when stderr is a terminal and a batch is long.
    replace
        Let a row replace the stored row of its id when both come from the same
        input format (an ACLED revision); without it such rows are reported.
    create
        Create the store's missing folders even outside the data directory.
    workspace
        Gazetteer, geocode cache and store to use; without one, a workspace
        over ``store`` and the default files is opened and closed here.
    """
    fmt, country_code = _check_options(format, country)

    def run(ws: Workspace) -> IngestReport:
        job = _Job(
            ws, geocoder=geocoder, country=country_code, location_column=location_column,
            date=date, progress=progress, replace=replace,
        )  # fmt: skip
        return job.run(paths, fmt)

    if workspace is None:
        with Workspace(store=store, create_dirs=create) as own:
            return run(own)
    if store is not None:
        raise ConfigurationError(
            "ingest_paths takes a store or a workspace, not both. "
            "Fix: pass Workspace(store=...) alone."
        )
    return run(workspace)
