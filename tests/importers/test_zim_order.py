"""An archive read in the order it stores its articles (content/zimlayout.py): the section
build decompresses each of libzim's clusters once instead of once an article."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHARED

from termpedia.content import zimlayout
from termpedia.content.archive import ZimArchive, describe
from tests.bench.zimsynth import ZimPage, article_html, write_zim

RAY = SHARED / "corpora" / "ray-charles.zim"


def _write(out: Path, count: int) -> Path:
    """`count` articles added in reverse path order, in clusters of about 8 kB: the order
    of their content is far from the order of their ids (by path)."""
    pages = []
    for n in reversed(range(count)):
        title = f"Page {n:03d}"
        body = f"Words of page {n}, told at some length. " * 40
        html = article_html(title, [("History", body)], body)
        pages.append(ZimPage(f"Page_{n:03d}", title, html))
    return write_zim(out, pages, title="Order test", indexing=False, cluster_bytes=8 * 1024)


@pytest.fixture(scope="module")
def reversed_zim(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("order") / "reversed.zim", 120)


def _archive(source: Path) -> ZimArchive:
    return ZimArchive(describe(source, source.stem))


def _keys(zim: ZimArchive, ids: list[int]) -> list[int]:
    files = [Path(part.path) for part in zim.registration.parts]
    return zimlayout.storage_keys(files, ids)


def test_articles_are_read_cluster_by_cluster(reversed_zim: Path) -> None:
    zim = _archive(reversed_zim)
    ids = zim.article_ids()
    order = zim.reading_order()
    assert sorted(order) == sorted(ids) and len(ids) == 120
    keys = _keys(zim, order)
    assert keys == sorted(keys)
    clusters = [key >> 32 for key in keys]
    assert len(set(clusters)) > 10  # many clusters, each read once, one after another
    # Written in reverse: the last page by path is stored first.
    titles = [zim.entry(entry)[1] for entry in order]
    assert titles[0] == "Page 119" and titles[-1] == "Page 000"
    assert [zim.entry(entry)[1] for entry in ids][0] == "Page 000"


def test_the_records_name_the_entries_libzim_names(reversed_zim: Path) -> None:
    zim = _archive(reversed_zim)
    files = [reversed_zim]
    for entry in zim.article_ids():
        assert zimlayout.entry_path(files, entry) == "C/" + zim.entry(entry)[0]


def test_an_old_scheme_archive_is_read_in_its_order_too() -> None:
    zim = _archive(RAY)  # paths `A/…`: the namespace is part of libzim's path
    ids = zim.article_ids()
    for entry in ids:
        assert zimlayout.entry_path([RAY], entry) == zim.entry(entry)[0]
    order = zim.reading_order()
    assert sorted(order) == sorted(ids)
    assert _keys(zim, order) == sorted(_keys(zim, order))


def test_a_split_archive_is_read_across_its_parts(reversed_zim: Path, tmp_path: Path) -> None:
    data = reversed_zim.read_bytes()
    cut = [0, 100, len(data) // 2, len(data)]  # the header itself split between parts
    for number, (start, end) in enumerate(zip(cut, cut[1:], strict=False)):
        (tmp_path / f"split.zima{'abc'[number]}").write_bytes(data[start:end])
    split = _archive(tmp_path / "split.zimaa")
    assert len(split.registration.parts) == 3
    assert split.reading_order() == _archive(reversed_zim).reading_order()


def test_a_file_that_is_not_a_zim_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.zim"
    other.write_bytes(b"\0" * 200)
    with pytest.raises(zimlayout.LayoutError):
        zimlayout.storage_keys([other], [0])


def test_an_unreadable_layout_keeps_the_id_order(
    reversed_zim: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(files: list[Path], ids: list[int]) -> list[int]:
        raise zimlayout.LayoutError("no")

    monkeypatch.setattr(zimlayout, "storage_keys", broken)
    zim = _archive(reversed_zim)
    assert zim.reading_order() == zim.article_ids()


def test_records_that_name_other_entries_keep_the_id_order(
    reversed_zim: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(zimlayout, "entry_path", lambda files, entry: "C/Somewhere_else")
    zim = _archive(reversed_zim)
    assert zim.reading_order() == zim.article_ids()
