"""Reading news articles from files: plain text, HTML and folders of them.

* **Plain text** (any extension other than HTML ones): the first non-empty line
  is the title.  ``Article.text`` is the whole text (title line included), and
  every offset in geomap refers to it.
* **Front matter**: an optional block at the very top::

      ---
      date: 2015-09-30
      source: CBC News
      url: https://example.org/story
      title: Russian airstrikes hit Syria
      ---

  Keys are case-insensitive; unknown keys are kept in ``Article.meta``.
* **HTML** (``.html``, ``.htm``, ``.xhtml``, or text starting with
  ``<!doctype html`` / ``<html``): the main text comes from trafilatura, run
  offline on the HTML string (scripts, styles and boilerplate are dropped);
  the title and publication date come from the page's metadata when present.

**Date**, first found wins: the ``date=`` argument (``geomap extract --date``),
front matter, HTML metadata, then a ``YYYY-MM-DD`` in the *file name*
(``russian-airstrikes-syria-2015-09-30.txt``).  ``Article.date_basis`` says
which one was used ("argument", "front matter", "html metadata", "file name"),
and the CLI reports a date taken from a file name.  No date means ``None``:
never today's date.

**Limits and bad files**: a file larger than :data:`MAX_ARTICLE_BYTES` (5 MiB)
is refused without being read (an article is rarely over 1 MiB, even as HTML;
a 3.7 MiB text takes about 30 s and 380 MiB through ``geomap extract``, so the
limit bounds both time and memory);
empty files, binary files (NUL bytes) and text that is not UTF-8 raise
:class:`~geomap.errors.InputError` with the file name and a fix.
:func:`iter_articles` yields these errors instead of raising, so a batch goes on.

``doc_id`` is ``"doc-"`` plus the first 16 hex digits of the SHA-256 of the
article text: the same text gives the same id wherever it is stored, so
re-extracting a file updates its events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from geomap import dates
from geomap.errors import InputError, quote
from geomap.model import Article

#: files larger than this are refused (bytes); pass ``max_bytes=`` to change it
MAX_ARTICLE_BYTES = 5 * 1024 * 1024
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
#: what a directory walk picks up (a file named explicitly is always tried)
ARTICLE_SUFFIXES = HTML_SUFFIXES | TEXT_SUFFIXES

_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(?P<body>.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_FILE_DATE_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_HTML_START_RE = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)


def make_doc_id(text: str) -> str:
    """Stable id of an article: a hash of its text."""
    return "doc-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse_date(value: str, *, what: str = "date") -> str:
    """The ISO ``YYYY-MM-DD`` of a date written by a person (:func:`geomap.dates.parse_date`)."""
    try:
        date = dates.parse_date(value)
    except ValueError:
        date = None
    if date is None:
        raise InputError(
            f"{what} must be a date like 2015-09-30, instead got: {quote(value)}. "
            "Fix: write it as YYYY-MM-DD."
        )
    return date


def split_front_matter(text: str, *, name: str = "<text>") -> tuple[dict[str, str], str]:
    """``(metadata, rest)``; ``rest`` is ``text`` without the front-matter block."""
    m = _FRONT_MATTER_RE.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for n, line in enumerate(m.group("body").splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise InputError(
                f"{name}: front matter line {n} is not 'key: value', instead got: {quote(line)}. "
                "Fix: write one 'key: value' per line between the two '---' lines."
            )
        meta[key.strip().lower()] = value.strip().strip("'\"")
    return meta, text[m.end() :]


def decode_bytes(data: bytes, *, name: str, html: bool = False) -> str:
    """Decode an article file, refusing binary and non-UTF-8 data with a clear error."""
    if not data.strip():
        raise InputError(f"{name}: the file is empty. Fix: give an article with some text in it.")
    if b"\x00" in data[:8192]:
        raise InputError(
            f"{name}: looks like a binary file (it contains NUL bytes), not an article. "
            "Fix: give a plain-text (UTF-8) or HTML file."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if html:
            m = re.search(rb"""charset=["']?([\w-]+)""", data[:4096], re.I)
            if m:
                try:
                    return data.decode(m.group(1).decode("ascii"))
                except (LookupError, UnicodeDecodeError):
                    pass
        raise InputError(
            f"{name}: is not UTF-8 text (bad byte {data[exc.start]:#04x} at offset {exc.start}). "
            "Fix: convert it, e.g. `iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8`."
        ) from None


def looks_like_html(text: str, suffix: str = "") -> bool:
    return suffix.lower() in HTML_SUFFIXES or bool(_HTML_START_RE.match(text[:2048]))


def html_to_text(html: str, *, name: str = "<html>") -> tuple[str, str, str | None]:
    """Main text, title and publication date of an HTML page, offline (trafilatura).

    The HTML string is passed in directly; nothing is fetched.
    """
    import trafilatura  # heavy-ish; only HTML input needs it

    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )

    # trafilatura 1.x returns a dict, 2.x a Document object
    def field(name: str) -> str:
        value = doc.get(name) if isinstance(doc, dict) else getattr(doc, name, None)
        return str(value) if value else ""

    text, title, date = field("text"), field("title"), field("date") or None
    if not text.strip():
        return "", title, None
    if date:
        try:
            date = parse_date(date)
        except InputError:
            date = None
        # a guessed "today" that the page itself does not carry is no date at all
        if date == dt.date.today().isoformat() and date not in html:
            date = None
    return text, title, date


def article_from_text(
    raw: str,
    *,
    path: str = "",
    date: str | None = None,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    html: bool | None = None,
) -> Article:
    """Build an :class:`Article` from a decoded file's contents (see the module docs)."""
    name = path or "<text>"
    suffix = Path(path).suffix if path else ""
    meta, body = split_front_matter(raw, name=name)
    is_html = looks_like_html(body, suffix) if html is None else html
    html_title, html_date = "", None
    if is_html:
        body, html_title, html_date = html_to_text(body, name=name)
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not body.strip():
        what = (
            "HTML page has no main text" if is_html else "file has no text after its front matter"
        )
        raise InputError(f"{name}: the {what}. Fix: give an article with some text in it.")

    first_line = next((ln.strip() for ln in body.splitlines() if ln.strip()), "")
    found_title = title or meta.pop("title", "") or html_title or first_line
    meta.pop("title", None)

    basis = ""
    event_date: str | None = None
    if date:
        event_date, basis = parse_date(date, what="--date"), "argument"
    elif meta.get("date"):
        event_date, basis = (
            parse_date(meta["date"], what=f"{name}: front matter 'date'"),
            "front matter",
        )
    elif html_date:
        event_date, basis = html_date, "html metadata"
    elif path:
        m = _FILE_DATE_RE.search(Path(path).name)
        if m:
            try:
                event_date = dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
                basis = "file name"
            except ValueError:
                event_date = None
    meta.pop("date", None)

    return Article(
        doc_id=make_doc_id(body),
        title=found_title[:500],
        text=body,
        date=event_date,
        source=source or meta.pop("source", ""),
        url=url or meta.pop("url", ""),
        path=path,
        date_basis=basis,
        format="html" if is_html else "text",
        meta={k: v for k, v in meta.items() if k not in ("source", "url")},
    )


def read_article(
    path: str | os.PathLike[str],
    *,
    date: str | None = None,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
) -> Article:
    """Read one article file (text or HTML, optional front matter).

    Raises :class:`~geomap.errors.InputError` naming the file and the fix for a
    missing, empty, binary, non-UTF-8 or oversized file.
    """
    p = Path(path)
    name = str(p)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{name}: no such file. Fix: check the path.") from None
    except OSError as exc:
        raise InputError(
            f"{name}: cannot be read ({exc.strerror}). Fix: check the path and its permissions."
        ) from None
    if p.is_dir():
        raise InputError(f"{name}: is a directory. Fix: use iter_articles() for folders.")
    if size > max_bytes:
        raise InputError(
            f"{name}: is {size / 1048576:.1f} MiB, over the {max_bytes / 1048576:.0f} MiB limit "
            "for one "
            "article; it was not read. Fix: split it into articles, or raise the limit "
            "(--max-size / max_bytes=)."
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(
            f"{name}: cannot be read ({exc.strerror}). Fix: check its permissions."
        ) from None
    suffix = p.suffix.lower()
    raw = decode_bytes(data, name=name, html=suffix in HTML_SUFFIXES)
    return article_from_text(raw, path=name, date=date, source=source, url=url, title=title)


def iter_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files named explicitly, and article files (by suffix) under directories, sorted."""
    for item in paths:
        p = Path(item)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in sorted(files):
                    if not f.startswith(".") and Path(f).suffix.lower() in ARTICLE_SUFFIXES:
                        yield Path(root) / f
        else:
            yield p


def iter_articles(
    paths: Iterable[str | os.PathLike[str]],
    *,
    date: str | None = None,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    max_bytes: int = MAX_ARTICLE_BYTES,
) -> Iterator[Article | InputError]:
    """Every article under ``paths``; a file that cannot be read yields its :class:`InputError`."""
    for p in iter_paths(paths):
        try:
            yield read_article(
                p, date=date, source=source, url=url, title=title, max_bytes=max_bytes
            )
        except InputError as exc:
            yield exc
