"""Excerpts for snippets: windows of a text cut on word boundaries, on one line, with "…"
where text was left out and the offsets of the matched words carried along. No Whoosh here."""

from __future__ import annotations

ELLIPSIS = "…"
REACH = 24
"""How far a cut moves to reach the end of a word, before it gives up and cuts inside it."""

Span = tuple[int, int]


def excerpt(text: str, windows: list[tuple[int, int, list[Span]]]) -> tuple[str, tuple[Span, ...]]:
    """`text`'s windows (start, end, spans of matched words inside them), in order, as one
    line: each window widened or narrowed to whole words, runs of white space collapsed to
    one space, "…" before, between and after the windows wherever text was left out.
    Returns the line and the matched words' offsets in it."""
    out: list[str] = []
    spans: list[Span] = []
    last_end = 0
    for start, end, inside in windows:
        start, end = _word_bounds(text, start, end, inside)
        if start >= end:
            continue
        if _has_text(text, last_end, start):
            out.append(f"{ELLIPSIS} " if not out else f" {ELLIPSIS} ")
        elif out:
            out.append(" ")
        offset = sum(map(len, out))
        piece, moved = _collapse(text, start, end)
        out.append(piece)
        for a, b in inside:
            if start <= a and b <= end:
                spans.append((offset + moved[a - start], offset + moved[b - start]))
        last_end = end
    if out and _has_text(text, last_end, len(text)):
        out.append(f" {ELLIPSIS}")
    return "".join(out), tuple(spans)


def _has_text(text: str, start: int, end: int) -> bool:
    return start < end and not text[start:end].isspace()


def _word_bounds(text: str, start: int, end: int, spans: list[Span]) -> tuple[int, int]:
    """The window moved to word boundaries: a cut word is taken whole when its rest is near,
    else left out (unless a matched word would be cut)."""
    first = min((a for a, _ in spans), default=end)
    last = max((b for _, b in spans), default=start)
    if 0 < start < len(text) and not text[start - 1].isspace() and not text[start].isspace():
        back = start
        while back > 0 and start - back < REACH and not text[back - 1].isspace():
            back -= 1
        if back == 0 or text[back - 1].isspace():
            start = back
        else:  # a very long word: skip its cut part, if no match is in it
            ahead = start
            while ahead < first and not text[ahead].isspace():
                ahead += 1
            start = ahead if ahead < first else start
    if 0 < end < len(text) and not text[end - 1].isspace() and not text[end].isspace():
        ahead = end
        while ahead < len(text) and ahead - end < REACH and not text[ahead].isspace():
            ahead += 1
        if ahead == len(text) or text[ahead].isspace():
            end = ahead
        else:
            back = end
            while back > last and not text[back - 1].isspace():
                back -= 1
            end = back if back > last else end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _collapse(text: str, start: int, end: int) -> tuple[str, list[int]]:
    """text[start:end] with each run of white space as one space, and where each offset of
    the window (0 to end - start) lands in the result."""
    out: list[str] = []
    moved: list[int] = []
    length = 0
    in_space = False
    for char in text[start:end]:
        moved.append(length)
        if char.isspace():
            if not in_space:
                out.append(" ")
                length += 1
            in_space = True
        else:
            out.append(char)
            length += 1
            in_space = False
    moved.append(length)
    return "".join(out), moved


def opening(text: str, chars: int) -> str:
    """The start of `text` on one line, about `chars` long, cut after a whole word."""
    line, _ = excerpt(text, [(0, min(chars, len(text)), [])])
    return line
