"""The AND-MAYBE query termpedia builds (title and heading matches raising a score), with
its matcher's endless loop fixed (fix 2): for Whoosh's own searches, which are the test
oracle of index/scoring.py and search the libraries in the plain-Whoosh mode."""

from __future__ import annotations

from whoosh.matching.binary import AndMaybeMatcher
from whoosh.matching.mcore import ReadTooFar
from whoosh.query import AndMaybe


class _AndMaybeMatcher(AndMaybeMatcher):  # type: ignore[misc]
    def skip_to_quality(self, minquality: float) -> int:
        """Fix 2: `AndMaybeMatcher.skip_to_quality` without its endless loop.

        Whoosh's version loops while the two block qualities stay below `minquality`; when
        a sub-matcher can skip no block (it returns 0 and its quality stays the same) it
        never ends: a two-word query at 100k sections hung there. Skipping is only an
        optimisation, so this stops as soon as a round skips nothing.
        """
        a, b = self.a, self.b
        if not a.is_active():
            raise ReadTooFar
        if not b.is_active():
            return int(a.skip_to_quality(minquality))
        skipped = 0
        a_quality, b_quality = a.block_quality(), b.block_quality()
        while a.is_active() and b.is_active() and a_quality + b_quality < minquality:
            if a_quality < b_quality:
                count = a.skip_to_quality(minquality - b_quality)
                a_quality = a.block_quality()
            else:
                count = b.skip_to_quality(minquality - a_quality)
                b_quality = b.block_quality()
            if not count:
                break
            skipped += count
        return skipped


class Boosted(AndMaybe):  # type: ignore[misc]
    """`a` ANDMAYBE `b`: the matches of `a`, their scores raised where `b` matches too."""

    matcherclass = _AndMaybeMatcher
