"""Accent and case folding done by the project, identically in Python and in SQL.

PostgreSQL's `unaccent` is not available everywhere (the embedded server lacks it),
and `lower()` depends on the database's locale, so folding is one `translate()`
table: every precomposed Latin letter (Vietnamese included, `đ` → `d`) and A–Z map
to plain a–z, and combining marks are dropped. The SQL function `hm_fold` is
created from the same table by the search migration; `fold()` here is its twin.
"""

import re
import unicodedata


def _build_table() -> tuple[str, str, str]:
    sources, targets = [], []
    for code in list(range(0x41, 0x5B)) + list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0]
        if base.isascii() and base.isalpha():
            target = base.lower()
            if target != char:
                sources.append(char)
                targets.append(target)
    for char, target in (
        ("Đ", "d"),
        ("đ", "d"),
        ("Ð", "d"),
        ("ð", "d"),
        ("Ø", "o"),
        ("ø", "o"),
        ("Ł", "l"),
        ("ł", "l"),
    ):
        if char not in sources:
            sources.append(char)
            targets.append(target)
    combining = "".join(chr(code) for code in range(0x300, 0x370))
    return "".join(sources), "".join(targets), combining


FOLD_FROM, FOLD_TO, COMBINING_MARKS = _build_table()
_TABLE = str.maketrans(FOLD_FROM, FOLD_TO, COMBINING_MARKS)
_WORD = re.compile(r"[^\W_]+")
MAX_TERM_CHARS = 200
MAX_TOKENS = 8


def fold(text: str) -> str:
    """What `hm_fold(text)` gives in the database."""
    return (text or "").translate(_TABLE)


def query_tokens(term: str) -> list[str]:
    """The words of a search term, folded: `+`, quotes, `%`, `_`, backslashes and emoji are separators."""
    folded = fold(unicodedata.normalize("NFC", term or "")[:MAX_TERM_CHARS]).lower()
    return _WORD.findall(folded)[:MAX_TOKENS]


def prefix_tsquery(term: str) -> str | None:
    """`to_tsquery('simple', …)` text matching every word of `term`, the last one as a prefix (typing).

    Tokens are folded letters and digits only, so quoting is all the escaping needed.
    """
    tokens = query_tokens(term)
    if not tokens:
        return None
    return " & ".join(
        f"'{token}'" + (":*" if position == len(tokens) - 1 else "") for position, token in enumerate(tokens)
    )
