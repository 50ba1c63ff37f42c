"""The one rule for item ids, checked where items are made and again where the pipeline takes them.

An id is what a user types after ``storyline show``, what the API puts in ``/api/articles/{id}`` and
what the web pages link to, so it must survive a shell, a URL path segment and a terminal:

- 1 to `MAX_ID_CHARS` characters, without leading or trailing whitespace;
- no ``/`` or ``\\`` (a URL path or a file path would split it), and not ``.`` or ``..`` (URL clients
  resolve those as path segments, so such an article could never be fetched);
- no control characters (newline, tab, NUL, escape sequences), no line or paragraph separators, no
  invisible format characters (a right-to-left override could make one id look like another), no lone
  surrogates (not text; SQLite cannot store them).

Everything else is allowed, spaces, ``?``, ``#`` and ``%`` included: links percent-encode ids. An id
that breaks the rule is rejected with the reason, never changed, since a changed id would no longer
match the user's records.
"""

from __future__ import annotations

import unicodedata

__all__ = ["MAX_ID_CHARS", "id_problem"]

MAX_ID_CHARS = 512
_BAD_CATEGORIES = {
    "Cc": "a control character",
    "Cf": "an invisible format character",
    "Cs": "a lone surrogate",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}


def _shown(item_id: str) -> str:
    text = item_id if len(item_id) <= 60 else item_id[:59] + "…"
    return ascii(text) if any(unicodedata.category(c) in _BAD_CATEGORIES for c in text) else repr(text)


def id_problem(item_id: str) -> str | None:
    """Why `item_id` cannot be an id (a rejection reason), or None when it can."""
    if not item_id:
        return "invalid id: it is empty"
    problem = None
    if len(item_id) > MAX_ID_CHARS:
        problem = f"longer than {MAX_ID_CHARS} characters"
    elif item_id != item_id.strip():
        problem = "starts or ends with whitespace"
    elif item_id in (".", ".."):
        problem = "'.' and '..' are path segments in URLs"
    elif "/" in item_id or "\\" in item_id:
        problem = "contains '/' or '\\'"
    else:
        bad = next((c for c in item_id if unicodedata.category(c) in _BAD_CATEGORIES), None)
        if bad is not None:
            problem = f"contains {_BAD_CATEGORIES[unicodedata.category(bad)]} (U+{ord(bad):04X})"
    if problem is None:
        return None
    rule = f"ids are 1-{MAX_ID_CHARS} printable characters without / or \\"
    return f"invalid id: {_shown(item_id)} {problem}; {rule}"
