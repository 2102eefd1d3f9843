"""The app process's memory: the garbage collector kept off the reader's keystrokes, and the
allocators set for a long-running reader. No Textual here."""

from __future__ import annotations

import ctypes
import functools
import gc
import sys

from termpedia.content.archive import keep_cluster_cache_small

SETTLE_DELAY = 0.02
"""Seconds after an article is shown before `settle_heap`."""

ARENAS = 2
"""glibc malloc arenas at most (its default is eight a core)."""
_M_ARENA_MAX = -8


def settle_heap() -> None:
    """Once an article is on screen: collect what the last one left, then freeze the heap.

    An open article with its rows and section tree is many objects (10,000 headings:
    ~230,000), and each full collection of the cyclic garbage collector walks them all
    (~90 ms there, ~40 ms for the bundled ones), at whatever moment it falls due: often on
    the next key typed into the search or find bar. Frozen objects are left out of
    collections; they are unfrozen here before the next article's collection so that
    the ones this article leaves behind are freed, not kept forever."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def prepare_reader_process(reads_archives: bool) -> None:
    """Set this process up to read for hours: call it once, before the app starts threads.

    The app's searches and reads run in worker threads while the archives' indexer grows
    the index beside it, and read and free many large buffers (blocks of postings, stored
    sections, archive clusters). With glibc's defaults each of those threads got an arena of
    its own, each kept what was freed in it, and libzim's cluster cache kept several MB of
    decoder a cluster: the app on a 100,000-article archive grew to 200-216 MB in two
    minutes of indexing, with about 45 MB in use (heaptrack). Two arenas, libzim's cache
    small (`keep_cluster_cache_small`) and `give_back_memory` after each refresh keep it
    well under that (tests/bench/RESULTS.md), at no cost to search time. (A fixed mapping
    threshold saved 30 MB more but made full queries 5 ms slower at the 95th percentile.)
    libzim is set up only for a reader of archives: importing it takes about 12 ms."""
    if reads_archives:
        keep_cluster_cache_small()
    libc = _glibc()
    if libc is not None:
        libc.mallopt(_M_ARENA_MAX, ARENAS)


def give_back_memory() -> None:
    """Return the free pages inside glibc's arenas to the system (about 1 ms): after the
    index was re-opened, when the old readers' buffers have just been freed."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    """glibc, or None (another C library, such as musl, has no mallopt: its defaults stay)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt  # noqa: B018  (glibc only)
        libc.malloc_trim  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc
