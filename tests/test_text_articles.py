"""Reading articles: text, front matter, HTML, dates, and every kind of bad file."""

from __future__ import annotations

import os

import pytest

from geomap.errors import InputError
from geomap.text.articles import (
    MAX_ARTICLE_BYTES,
    Article,
    article_from_text,
    iter_articles,
    make_doc_id,
    parse_date,
    read_article,
)


def test_seed_title_text_and_date_flag(seed_file):
    a = read_article(seed_file, date="2015-09-30")
    assert a.title == "Russian airstrikes hit parts of Syria with no ISIS fighters, U.S. says"
    assert a.text.startswith(a.title)
    assert "at least 33 civilians" in a.text
    assert (a.date, a.date_basis, a.format) == ("2015-09-30", "argument", "text")
    assert a.doc_id == make_doc_id(a.text) and a.doc_id.startswith("doc-")


def test_date_from_file_name_is_a_reported_fallback(tmp_path):
    p = tmp_path / "strike-2016-12-19.txt"
    p.write_text("Title\nBody text.", encoding="utf-8")
    a = read_article(p)
    assert (a.date, a.date_basis) == ("2016-12-19", "file name")


def test_no_date_is_unknown_never_today(tmp_path):
    p = tmp_path / "story.txt"
    p.write_text("Title\nJets hit the town on Wednesday.", encoding="utf-8")
    a = read_article(p)
    assert a.date is None and a.date_basis == ""


def test_front_matter(tmp_path):
    p = tmp_path / "story-2000-01-01.txt"
    p.write_text(
        "---\ndate: 2015-09-30\nsource: CBC News\nurl: https://example.org/a\ntitle: 'Real title'\n"
        "author: Someone\n---\nFirst line\nBody.\n",
        encoding="utf-8",
    )
    a = read_article(p)
    assert (a.date, a.date_basis) == ("2015-09-30", "front matter")
    assert (a.source, a.url, a.title) == ("CBC News", "https://example.org/a", "Real title")
    assert a.text == "First line\nBody."
    assert a.meta == {"author": "Someone"}


def test_flags_win_over_front_matter(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("---\ndate: 2015-09-30\nsource: X\n---\nT\nB", encoding="utf-8")
    a = read_article(p, date="2016-01-02", source="Y", title="Z")
    assert (a.date, a.date_basis, a.source, a.title) == ("2016-01-02", "argument", "Y", "Z")


@pytest.mark.parametrize(
    "content, match",
    [
        ("---\ndate: yesterday\n---\nT\nB", "date like 2015-09-30"),
        ("---\nno colon here\n---\nT\nB", "not 'key: value'"),
        ("---\ndate: 2015-09-30\n---\n\n", "no text after its front matter"),
    ],
)
def test_bad_front_matter(tmp_path, content, match):
    p = tmp_path / "bad.txt"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=match):
        read_article(p)


@pytest.mark.parametrize(
    "value, iso",
    [
        ("2015-09-30", "2015-09-30"),
        ("2015-09-30T12:00:00Z", "2015-09-30"),
        (" '2015-09-30' ", "2015-09-30"),
    ],
)
def test_parse_date_good(value, iso):
    assert parse_date(value) == iso


@pytest.mark.parametrize("value", ["30/09/2015", "2015-13-01", "Wednesday", ""])
def test_parse_date_bad(value):
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        parse_date(value)


HTML = """<!DOCTYPE html><html><head><title>Jets hit Rastan</title>
<meta property="article:published_time" content="2015-09-30T10:00:00Z">
<script>var tracking = "Moscow killed 999 people"; document.write(tracking);</script>
<style>p { color: red }</style></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Jets hit Rastan</h1>
<p>Russian jets hit the town of Rastan on Wednesday, killing at least 33 civilians, a doctor said.
The raids were the most violent in years, residents told reporters by telephone.</p>
<p>Rescue workers searched the rubble of several buildings late into the night.</p>
</article><footer>Copyright 2015</footer></body></html>"""


def test_html_main_text_without_scripts(tmp_path):
    p = tmp_path / "story.html"
    p.write_text(HTML, encoding="utf-8")
    a = read_article(p)
    assert a.format == "html"
    assert "at least 33 civilians" in a.text
    assert "tracking" not in a.text and "999" not in a.text and "color" not in a.text
    assert a.title == "Jets hit Rastan"
    assert (a.date, a.date_basis) == ("2015-09-30", "html metadata")


def test_html_detected_by_content_in_txt_file(tmp_path):
    p = tmp_path / "story.txt"
    p.write_text(HTML, encoding="utf-8")
    assert read_article(p).format == "html"


def test_html_with_only_script_has_no_text(tmp_path):
    p = tmp_path / "empty.html"
    p.write_text(
        "<html><head><script>alert('Rastan')</script></head><body></body></html>", encoding="utf-8"
    )
    with pytest.raises(InputError, match="no main text"):
        read_article(p)


@pytest.mark.parametrize(
    "data, match",
    [
        (b"", "empty"),
        (b"   \n\n\t", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        ("Caf\u00e9 in Homs".encode("latin-1"), "not UTF-8.*iconv"),
    ],
)
def test_bad_files(tmp_path, data, match):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(InputError, match=match) as info:
        read_article(p)
    assert str(p) in str(info.value) and "Fix:" in str(info.value)


def test_50_mb_file_is_refused_unread(tmp_path):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as fh:  # sparse: 50 MB on paper, nothing written
        fh.truncate(50 * 1024 * 1024)
    assert os.path.getsize(p) > MAX_ARTICLE_BYTES
    with pytest.raises(InputError, match=r"50\.0 MiB, over the 5 MiB limit.*--max-size"):
        read_article(p)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_article(tmp_path)


def test_utf8_bom_and_crlf(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes("\ufeffTitle here\r\nBody line.\r\n".encode())
    a = read_article(p)
    assert a.title == "Title here" and a.text == "Title here\nBody line."


def test_doc_id_is_stable_and_content_based():
    a = article_from_text("Title\nSame body.")
    b = article_from_text("Title\nSame body.", path="elsewhere.txt", date="2015-09-30")
    c = article_from_text("Title\nOther body.")
    assert a.doc_id == b.doc_id != c.doc_id


def test_iter_articles_walks_folders_and_yields_errors(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("A title\nText A.", encoding="utf-8")
    (tmp_path / "sub" / "b.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.png").write_bytes(
        b"\x89PNG\x00"
    )  # not an article suffix: skipped in folders
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    items = list(iter_articles([tmp_path], date="2015-09-30"))
    arts = [i for i in items if isinstance(i, Article)]
    errs = [i for i in items if isinstance(i, InputError)]
    assert sorted(os.path.basename(a.path) for a in arts) == ["a.txt", "b.html"]
    assert len(errs) == 1 and "empty.txt" in str(errs[0])
    assert all(a.date == "2015-09-30" for a in arts)


def test_iter_articles_tries_explicit_files_of_any_suffix(tmp_path):
    p = tmp_path / "notes.dat"
    p.write_text("T\nBody", encoding="utf-8")
    (item,) = iter_articles([p])
    assert isinstance(item, Article)
