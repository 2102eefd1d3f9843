"""The progress bar of `termpedia index`: a resumed build's rate counts only its own work."""

from __future__ import annotations

import pytest

from termpedia.tui import cli


def test_a_resumed_build_shows_its_own_rate(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    clock = iter([100.0, 100.0, 110.0])  # started, first call, ten seconds later
    monkeypatch.setattr(cli.time, "monotonic", lambda: next(clock))
    bar = cli._ProgressBar("indexing walk")
    bar.enabled = True
    bar(50_000, 100_000)  # where the killed run had got to
    first = capsys.readouterr().err.split("\r")[-1]
    assert "50000/100000, ETA unknown\x1b[K" in first, first  # no rate yet: no "ETA 0 s"
    bar(51_000, 100_000)  # 1,000 more in 10 s
    drawn = capsys.readouterr().err.split("\r")[-1]
    assert "51000/100000" in drawn
    assert "(100/s)" in drawn, drawn
    assert "ETA 490 s" in drawn, drawn
