"""Keeping the garbage collector off the reader's keystrokes. No Textual here."""

from __future__ import annotations

import gc

SETTLE_DELAY = 0.02
"""Seconds after an article is shown before `settle_heap`."""


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
