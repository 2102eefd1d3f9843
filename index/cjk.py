"""The analysis of text in every script: Whoosh's tokenizer, with runs of scripts written
without spaces (index/scripts.py) made into character bigrams and single characters, and a
stop filter that keeps those single characters. Pickled into the index's schema: moving or
changing these classes needs a new SCHEMA_VERSION."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import RegexTokenizer, StopFilter, Token

from .scripts import WORD_PATTERN, is_run, run_terms


class CjkTokenizer(RegexTokenizer):  # type: ignore[misc]
    """Words as Whoosh's RegexTokenizer finds them, and each run of a no-space script as
    its terms (`scripts.run_terms`): bigrams and the run's last character when indexing,
    bigrams when querying, bigrams and every character otherwise (highlighting). Every term
    is one position after the one before."""

    def __init__(self) -> None:
        super().__init__(WORD_PATTERN)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        if not tokenize:
            yield from super().__call__(
                value, positions, chars, keeporiginal, removestops, start_pos, start_char,
                tokenize, mode, **kwargs,
            )  # fmt: skip
            return
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        terms = mode if mode in ("index", "query") else "highlight"
        position = start_pos
        for match in self.expression.finditer(value):
            word = match.group(0)
            pieces = run_terms(word, terms) if is_run(word) else ((word, 0, len(word)),)
            for text, start, end in pieces:
                token.text = text
                token.boost = 1.0
                if keeporiginal:
                    token.original = text
                token.stopped = False
                if positions:
                    token.pos = position
                if chars:
                    token.startchar = start_char + match.start() + start
                    token.endchar = start_char + match.start() + end
                position += 1
                yield token


class CjkStopFilter(StopFilter):  # type: ignore[misc]
    """Whoosh's StopFilter (the same stop words, lengths and renumbering), keeping the
    single characters of no-space scripts: its minimum word length would drop them, and
    one-character queries must find them."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stoplist, minsize, maxsize, renumber = self.stops, self.min, self.max, self.renumber
        pos = None
        for token in tokens:
            text = token.text
            kept = (
                (len(text) >= minsize or is_run(text))
                and (maxsize is None or len(text) <= maxsize)
                and text not in stoplist
            )
            if kept:
                if renumber and token.positions:
                    if pos is None:
                        pos = token.pos
                    else:
                        pos += 1
                        token.pos = pos
                token.stopped = False
                yield token
            elif not token.removestops:
                token.stopped = True
                yield token
