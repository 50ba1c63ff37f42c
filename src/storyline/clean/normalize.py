"""Text normalisation shared by every cleaning step.

Scraped news arrives with encoding damage (``Â£`` for ``£``, ``â€™`` for a curly apostrophe), HTML
entities left in flat text, curly and straight quotes mixed across sites, non-breaking and zero-width
spaces, and ragged blank lines. Copies of one wire story must compare equal after normalisation, and
the result must still read well, so the choices are:

* mojibake is repaired with ftfy (only for text holding a pair of characters that mojibake is made of);
* HTML entities are unescaped until none are left (``&amp;lt;`` becomes ``<``), so the result is stable;
* curly single and double quotes become straight ASCII quotes (``'`` and ``"``), the form most sites and
  wires use, so quoted speech matches across copies; hyphen look-alikes (U+2010-U+2012, U+2212) become
  ``-`` and soft hyphens are dropped; en and em dashes are kept because they read differently from a
  hyphen and tokenisers split on them anyway;
* every Unicode space becomes a plain space, zero-width characters are dropped, runs of spaces collapse,
  lines lose leading and trailing spaces, and runs of blank lines become one blank line, so paragraph
  breaks are exactly ``"\\n\\n"`` while single line breaks are kept as they came;
* the result is in Unicode NFC.

`normalize` is idempotent: ``normalize(normalize(t)) == normalize(t)`` (checked by a property test).
"""

from __future__ import annotations

import html
import re
import unicodedata

import ftfy

__all__ = ["normalize"]

_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=True,
    fix_line_breaks=True,
    normalization="NFC",
    explain=False,
)

_CHAR_MAP = {
    **{cp: " " for cp in (0x00A0, 0x1680, 0x202F, 0x205F, 0x3000, 0x0009, 0x000B, 0x000C)},
    **{cp: " " for cp in range(0x2000, 0x200B)},
    **{cp: None for cp in (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)},
    **{cp: "-" for cp in (0x2010, 0x2011, 0x2012, 0x2212)},
    **{cp: "'" for cp in (0x2018, 0x2019, 0x201A, 0x201B, 0x2032)},
    **{cp: '"' for cp in (0x201C, 0x201D, 0x201E, 0x201F, 0x2033)},
    0x2028: "\n",
    0x2029: "\n\n",
    0x0085: "\n",
}
# Mojibake is UTF-8 read as Latin-1/cp1252: every non-ASCII character turns into a lead character
# (U+00C2-U+00F4: Â, Ã, â, ...) followed by continuation characters (U+0080-U+00BF or their cp1252
# look-alikes: €, ™, curly quotes, ...). Only text with such a pair goes to ftfy, which is slow (about a
# millisecond a page); clean text with accents or dashes never does.
_CONTINUATION = (
    "\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_MAYBE_DAMAGED = re.compile(f"[\xc2-\xf4][{_CONTINUATION}]|[\ufb00-\ufb06\uff01-\uff5e]")
_MAPPED = re.compile("[" + "".join(re.escape(chr(cp)) for cp in _CHAR_MAP) + "]")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")
_SPACES = re.compile(r" {2,}")
_BLANKS = re.compile(r"\n{3,}")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MAX_ROUNDS = 6


def normalize(text: str) -> str:
    """Return `text` repaired and normalised as described in the module docstring (idempotent)."""
    out = _normalize_once(text)
    for _ in range(_MAX_ROUNDS):
        if _settled(out):
            return out
        again = _normalize_once(out)
        if again == out:
            return out
        out = again
    return out


def _settled(text: str) -> bool:
    """Whether `_normalize_once` would return `text` (an output of it) unchanged, told by cheap scans
    instead of another full round: every step but the whitespace tidy is skipped or finds nothing to do,
    and the tidy is idempotent on its own output. Most pages settle in one round, so this halves the
    cost of `normalize` without changing a result."""
    if "\r" in text or _CONTROL.search(text) or _has_mapped(text):
        return False
    if "&" in text and _ENTITY.search(text):
        return False
    if text.isascii():
        return True
    return not _MAYBE_DAMAGED.search(text) and unicodedata.is_normalized("NFC", text)


def _normalize_once(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() and _MAYBE_DAMAGED.search(text):
        text = ftfy.fix_text(text, _FTFY_CONFIG)
    if "&" in text:
        text = _unescape(text)
    if _has_mapped(text):
        text = text.translate(_CHAR_MAP)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    return _tidy_whitespace(text)


def _has_mapped(text: str) -> bool:
    """Whether `text` holds a character of `_CHAR_MAP`; in ASCII text only a tab, vertical tab or form
    feed can be one, found without the character-class scan."""
    if text.isascii():
        return "\t" in text or "\x0b" in text or "\x0c" in text
    return _MAPPED.search(text) is not None


def _unescape(text: str) -> str:
    """Unescape entities until none decode any more (bounded), so nested escapes do not survive."""
    for _ in range(3):
        if not _ENTITY.search(text):
            break
        text = html.unescape(text)
    return text


def _tidy_whitespace(text: str) -> str:
    if "  " in text:
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    else:  # no run of spaces to collapse anywhere
        lines = [line.strip() for line in text.split("\n")]
    joined = "\n".join(lines)
    if "\n\n\n" in joined:
        joined = _BLANKS.sub("\n\n", joined)
    return joined.strip("\n")
