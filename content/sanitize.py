"""The one sanitiser for article text on its way to a terminal: control characters made visible."""

from __future__ import annotations


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        if chr(code) not in "\n\t":
            table[code] = chr(0x2400 + code)  # U+2400 block: ␀ ␁ … ␛ …
    table[0x7F] = "\u2421"  # ␡
    for code in range(0x80, 0xA0):  # C1 controls, e.g. CSI (0x9B) and OSC (0x9D)
        table[code] = "\ufffd"
    # Bidirectional embeddings, overrides and isolates can reorder what is shown on screen.
    for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)):
        table[code] = "\ufffd"
    # Line and paragraph separators would break lines where the text has none.
    table[0x2028] = " "
    table[0x2029] = " "
    return table


_VISIBLE = _table()


def visible(text: str) -> str:
    """Replace control characters (other than newline and tab) one for one with visible symbols.

    The length never changes, so offsets computed on the original text stay valid.
    """
    return text.translate(_VISIBLE)
