"""The app process's memory settings (`termpedia.tui.heap`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from termpedia.content.archive import CLUSTER_CACHE
from termpedia.tui import heap


@pytest.fixture
def libzim_cache() -> Iterator[None]:
    libzim = pytest.importorskip("libzim")
    before = libzim.get_cluster_cache_max_size()
    yield
    libzim.set_cluster_cache_max_size(before)


def test_a_reader_of_archives_keeps_libzims_cluster_cache_small(libzim_cache: None) -> None:
    import libzim

    libzim.set_cluster_cache_max_size(16 * 1024 * 1024)
    heap.prepare_reader_process(reads_archives=True)
    assert libzim.get_cluster_cache_max_size() == CLUSTER_CACHE == 2 * 1024 * 1024
