"""Files written whole: a temporary sibling renamed over the target, or copied into a pipe."""

from __future__ import annotations

import os
import stat
import threading
from contextlib import contextmanager

import pytest

from geomap.files import open_replacing, replacing

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")


@contextmanager
def _reading(pipe):
    """A thread reading ``pipe`` to its end; yields the list its text goes into."""
    got: list[str] = []

    def read():
        with open(pipe, encoding="utf-8") as fh:
            got.append(fh.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield got
    finally:
        reader.join(timeout=10)


@pytest.mark.parametrize("through_link", [False, True])
def test_a_pipe_gets_the_text_and_stays_a_pipe(tmp_path, through_link):
    folder = tmp_path / "out"
    folder.mkdir()
    pipe = folder / "pipe"
    os.mkfifo(pipe)
    target = pipe
    if through_link:  # as /dev/stdout links to the process's descriptor
        target = folder / "out.json"
        target.symlink_to(pipe)
    with _reading(pipe) as got:
        with open_replacing(target) as fh:
            fh.write('{"documents": []}\n')
    assert got == ['{"documents": []}\n']
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert target.is_symlink() == through_link
    assert sorted(p.name for p in folder.iterdir()) == sorted({"pipe", target.name})


def test_a_writer_that_deletes_its_target_first_leaves_a_pipe_alone(tmp_path):
    # GDAL's drivers delete an existing file before they create one
    folder = tmp_path / "out"
    folder.mkdir()
    pipe = folder / "events.geojson"
    os.mkfifo(pipe)
    with _reading(pipe) as got:
        with replacing(pipe) as tmp:
            tmp.unlink(missing_ok=True)
            tmp.write_text('{"type": "FeatureCollection"}', encoding="utf-8")
    assert got == ['{"type": "FeatureCollection"}']
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert [p.name for p in folder.iterdir()] == ["events.geojson"]


def test_a_file_is_still_replaced_whole_and_kept_when_writing_fails(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "events.json"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with open_replacing(target) as fh:
            fh.write("half")
            raise RuntimeError("stopped")
    assert target.read_text(encoding="utf-8") == "old\n"
    with open_replacing(target) as fh:
        fh.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert [p.name for p in folder.iterdir()] == ["events.json"]  # no temporary left
