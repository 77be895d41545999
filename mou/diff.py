"""Word-level differences between two texts, for the history and conflict pages.

The result is data, not HTML: templates render each piece escaped inside <ins>/<del>.
"""

import difflib
import re
from dataclasses import dataclass

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    op: str  # "same", "insert" or "delete"
    text: str


def text_diff(old: str, new: str) -> list[Piece]:
    a = _TOKENS.findall(old or "")
    b = _TOKENS.findall(new or "")
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if tag in {"delete", "replace"}:
            pieces.append(Piece("delete", "".join(a[i1:i2])))
        if tag in {"insert", "replace"}:
            pieces.append(Piece("insert", "".join(b[j1:j2])))
    return pieces
