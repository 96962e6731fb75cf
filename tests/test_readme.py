"""The README's Python session runs as written."""

from __future__ import annotations

import doctest
import re

import pytest


@pytest.mark.gazetteer
def test_from_python_session(tmp_path, monkeypatch, capsys, repo_root):
    readme = (repo_root / "README.md").read_text(encoding="utf-8")
    section = readme.split("## From Python", 1)[1].split("\n## ", 1)[0]
    (session,) = re.findall(r"```python\n(>>> .*?)```", section, flags=re.S)
    (tmp_path / "seeds").symlink_to(repo_root / "seeds")
    monkeypatch.chdir(tmp_path)
    test = doctest.DocTestParser().get_doctest(session, {}, "README From Python", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    report = capsys.readouterr().out
    assert runner.tries >= 10 and runner.failures == 0, report
    assert (tmp_path / "near-homs.html").stat().st_size > 100_000
