"""The one package that uses Whoosh's internals: termpedia's posting layout (`codec`), the
one-pass analysis (`positions`), reading postings as arrays (`postings`), and eight fixes
of Whoosh's costs and bugs (fixes 1, 3 and 7 in `codec`, 2 in `matching`, 4 and 5 in
`writing`, 6 in `merging`, 8 in `stored`).

Nothing here changes Whoosh's own classes: each fix is a subclass that termpedia's writers,
codec and queries use. At import the installed Whoosh is probed (its version and every
private member these modules reach); if the probe fails, or TERMPEDIA_PLAIN_WHOOSH is set,
termpedia uses plain Whoosh instead: its stock codec, formats and writers, postings read
through its public API (index/plain.py), one warning (`PROBLEM`), and the speed goals
waived. Each mode writes its own `LAYOUT` into the index's manifest, and an index of the
other layout is rebuilt before Whoosh opens it.

Code above this package calls the functions below; it never imports the modules of this
package itself.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from whoosh.formats import Format
    from whoosh.index import Index as WhooshIndex
    from whoosh.query import Query
    from whoosh.searching import Searcher
    from whoosh.writing import IndexWriter

    from ..arrays import PostingReader

MADE_FOR = (2, 7)
"""The whoosh-reloaded release series this package's modules read and subclass."""

_MEMBERS = {
    # module: names whose members are used; "Class.member" for a member of a class
    "whoosh.codec.whoosh3": (
        "WHOOSH3_HEADER_MAGIC",
        "LENGTHS_COLUMN",
        "_lenfield",
        "W3Codec.postings_writer",
        "W3Codec.postings_reader",
        "W3Codec.per_document_reader",
        "W3Codec.field_writer",
        "W3LeafMatcher._read_data",
        "W3PostingsWriter._write_block",
        "W3PostingsWriter._new_block",
        "W3PerDocReader._cached_reader",
        "W3PerDocReader.column_reader",
        "W3PerDocReader.has_column",
        "W3FieldWriter.add_postings",
        "W3FieldWriter.start_field",
        "W3PerDocWriter._get_column",
        "W3PerDocWriter._create_column",
        "W3Codec.per_document_writer",
        "W3TermsReader.items_from",
        "W3TermInfo.from_bytes",
    ),
    "whoosh.columns": (
        "TranslatingColumnReader.raw_column",
        "Column.writer",
        "ColumnWriter.add",
        "ColumnReader.__getitem__",
    ),
    "whoosh.reading": ("SegmentReader.indexed_field_names", "SegmentReader.field_length"),
    "whoosh.filedb.filetables": ("HashWriter.add", "HashWriter._write_hashes"),
    "whoosh.writing": ("PostingPool.save", "SegmentWriter._finalize_segment"),
    "whoosh.externalsort": ("SortingPool._write_run", "SortingPool._read_run"),
    "whoosh.multiproc": ("MpWriter._new_task", "SubWriterTask._process_file", "finish_subsegment"),
    "whoosh.matching.binary": ("AndMaybeMatcher.skip_to_quality",),
    "whoosh.formats": ("Positions.word_values", "Positions.decode_positions"),
    "whoosh.analysis": ("CompositeAnalyzer", "RegexTokenizer", "StopFilter", "StemFilter"),
    "whoosh.scoring": ("BM25F",),
}


def probe() -> str:
    """ "" when the installed Whoosh is what this package is made for; else why not."""
    if os.environ.get("TERMPEDIA_PLAIN_WHOOSH"):
        return "TERMPEDIA_PLAIN_WHOOSH is set"
    try:
        import whoosh

        version = tuple(whoosh.__version__[:2])
    except (ImportError, AttributeError, TypeError) as error:
        return f"Whoosh's version cannot be read ({error})"
    if version != MADE_FOR:
        found = ".".join(map(str, whoosh.__version__))
        return f"whoosh-reloaded {found} is installed; termpedia's index layout is for 2.7"
    for module_name, names in _MEMBERS.items():
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            return f"{module_name} cannot be imported ({error})"
        for name in names:
            owner: Any = module
            for part in name.split("."):
                owner = getattr(owner, part, None)
                if owner is None:
                    return f"{module_name}.{name} is missing from the installed Whoosh"
    return ""


PROBLEM = probe()
IN_USE = not PROBLEM
LAYOUT = "w3-arrays-3" if IN_USE else "whoosh-plain-1"
"""The posting layout and analysis of indexes written in this mode (in the manifest)."""
WARNING = (
    f"termpedia: {PROBLEM}: using plain Whoosh (slower; rebuilds the index once)" if PROBLEM else ""
)


def text_format(field_boost: float) -> Format:
    """The format of the text fields: positions, analysed in one pass when in use."""
    if IN_USE:
        from .positions import OnePassPositions

        return OnePassPositions(field_boost=field_boost)
    from whoosh.formats import Positions

    return Positions(field_boost=field_boost)


def writer(ix: WhooshIndex, limitmb: int, procs: int = 1) -> IndexWriter:
    """A writer of the index with termpedia's codec and fixed pools (`procs` > 1: that
    many processes, each writing its own segment)."""
    if not IN_USE:
        extra: dict[str, Any] = {"procs": procs, "multisegment": True} if procs > 1 else {}
        return ix.writer(limitmb=limitmb, **extra)
    from .codec import postings_codec
    from .writing import ParallelWriter, Writer

    if procs > 1:
        return ParallelWriter(
            ix, procs=procs, limitmb=limitmb, multisegment=True, codec=postings_codec()
        )
    return Writer(ix, limitmb=limitmb, codec=postings_codec())


def merge(ix: WhooshIndex, final: bool = False) -> int:
    """Merge segments of an index written a batch at a time (`merging`): a size tier's when
    it is full, all of them when `final`; the number merged. Plain Whoosh merges its own
    way (slower): only when `final`."""
    if IN_USE:
        from .merging import merge as copy_merge

        return copy_merge(ix, final)
    count = len(ix._segments())
    if not final or count < 2:
        return 0
    ix.optimize()
    return count


def boosted(a: Query, b: Query) -> Query:
    """`a` ANDMAYBE `b` (title and heading matches raising a score), matched safely."""
    if not IN_USE:
        from whoosh.query import AndMaybe

        return AndMaybe(a, b)
    from .matching import Boosted

    return Boosted(a, b)


def posting_reader(searcher: Searcher) -> PostingReader:
    """What index/scoring.py reads a searcher's postings with."""
    if IN_USE:
        from .postings import W3Postings

        return W3Postings(searcher)
    from ..plain import PlainPostings

    return PlainPostings(searcher)


def terms_in(field: Any, text: str) -> list[tuple[int, int, str | None]] | None:
    """(start, end, term) of every word of `text` as the field indexes it, in one pass; None
    when the field has no one-pass plan (then its analyzer chain must be run)."""
    if not IN_USE:
        return None
    from .positions import terms_in as one_pass

    return one_pass(field.format, field.analyzer, text)
