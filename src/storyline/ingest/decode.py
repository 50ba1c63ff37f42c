"""Turn bytes of unknown encoding into text, or say why they are not text.

Scraped news arrives in every encoding. The order of attempts is chosen so that the common case is
cheap and a wrong guess is rare: a byte-order mark is authoritative; valid UTF-8 is almost never an
accident in other encodings; a charset the page itself declares comes next; then UTF-8 with a few
damaged sequences (at least as many valid multi-byte characters as invalid bytes: "Z\xc3\xbcr\xffich"
is UTF-8 with one stray byte, which is removed, not cp1252 with a stray "\xff"); then charset_normalizer's
statistical guess (for inputs of 256 bytes or more); cp1252 last, because it decodes nearly any byte
string and so is only a fallback.
Any decoding other than UTF-8 is recorded in the item's ``extra["decoded_as"]`` so users can audit it,
and a repair (bytes removed) in the item's notes.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["Decoded", "declared_charset", "decode_bytes", "looks_like_binary", "looks_like_html", "scrub"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.I)
_HTML_START = re.compile(r"\A\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S)
_SAMPLE = 20_000
#: ASCII control bytes other than the whitespace ones prose contains (tab, newlines, form feed).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
_MAX_CONTROL_SHARE = 0.05
#: Below this many bytes charset_normalizer's guesses are coin flips between related code pages
#: (cp1250 for cp1252 text, say), so short input goes straight to the cp1252 fallback.
_MIN_GUESS = 256


_REPLACEMENT = "\ufffd"
#: What no text should carry: C0 controls other than whitespace, DEL, and lone surrogates (which JSON
#: escapes can produce, and which no encoder, SQLite's included, accepts).
_UNTEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ud800-\udfff]")
#: `_UNTEXT`'s controls as UTF-8 bytes (the binary check's, and the vertical tab, which text may not
#: carry): no byte of a multi-byte sequence is below 0x80, so text holds one of these characters
#: exactly when its encoding holds one of these bytes.
_UNTEXT_BYTES = _CONTROL_BYTES + b"\x0b"


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text decoded from bytes; `note` is None for UTF-8, else how it was decoded (e.g. "cp1252");
    `repair` says what was removed to make it text, if anything."""

    text: str
    note: str | None = None
    repair: str | None = None


def scrub(text: str) -> tuple[str, str | None]:
    """`text` without control characters (tab, newlines and form feed stay) and lone surrogates, and a
    note saying how many were removed (None when none were)."""
    if not _holds_untext(text):
        return text, None
    clean, removed = _UNTEXT.subn("", text)
    return (
        clean,
        f"{removed} control character{'s' * (removed > 1)} or lone surrogate{'s' * (removed > 1)} removed",
    )


def _holds_untext(text: str) -> bool:
    """`_UNTEXT.search(text)`, twice as fast on a web page: every item's content is checked three
    times on the driver (when read, and at the door of each pass), and almost none holds any."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # only a lone surrogate stops UTF-8
        return True
    return len(data.translate(None, _UNTEXT_BYTES)) != len(data)


def looks_like_binary(data: bytes) -> bool:
    """Whether bytes are no text in any encoding: over 5% ASCII control bytes in their first 20 kB."""
    return _control_share(data) > _MAX_CONTROL_SHARE


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag near its start, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None


def looks_like_html(text: str) -> bool:
    """Whether text starts like an HTML document (doctype, <html> or <head>), ignoring comments."""
    return _HTML_START.match(text[:2000]) is not None


def _control_share(data: bytes) -> float:
    sample = data[:_SAMPLE]
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample) if sample else 0.0


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _damaged_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few invalid bytes removed, when valid multi-byte characters are at least as many
    as the invalid sequences (otherwise the bytes are more likely another encoding)."""
    text = data.decode("utf-8", "replace")
    replaced = text.count(_REPLACEMENT)
    bad = replaced - data.count(_REPLACEMENT.encode("utf-8"))
    valid = len(text) - len(text.encode("ascii", "ignore")) - replaced
    if bad <= 0 or valid < bad:
        return None
    return Decoded(
        text.replace(_REPLACEMENT, ""),
        None,
        f"{bad} invalid UTF-8 byte sequence{'s' * (bad > 1)} removed",
    )


def _guess(data: bytes) -> Decoded | None:
    from charset_normalizer import from_bytes  # lazy: costs ~50 ms to import, only needed for odd input

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    text = _strict(data, best.encoding)
    return None if text is None else Decoded(text, f"{best.encoding} (guessed)")


def _decode(data: bytes, declared: str | None) -> Decoded | str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data, encoding)
            if text is None:
                return f"undecodable: starts with a {encoding} byte-order mark but is not valid {encoding}"
            return Decoded(text, None if encoding == "utf-8-sig" else encoding)
    if b"\x00" in data:
        return "binary (contains NUL bytes)"
    if looks_like_binary(data):
        return "binary (not text: too many control characters)"
    text = _strict(data, "utf-8")
    if text is not None:
        return Decoded(text)
    if declared and codecs.lookup(declared).name != "utf-8":
        text = _strict(data, declared)
        if text is not None:
            return Decoded(text, f"{declared} (declared)")
    damaged = _damaged_utf8(data)
    if damaged is not None:
        return damaged
    guessed = _guess(data) if len(data) >= _MIN_GUESS else None
    if guessed is not None:
        return guessed
    text = _strict(data, "cp1252")
    if text is not None:
        return Decoded(text, "cp1252")
    return "undecodable: not UTF-8, and neither a charset guess nor cp1252 fits"


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded | str:
    """Decode `data`, or return a rejection reason (``binary ...`` or ``undecodable ...``).

        `declared` is a charset named by the input itself (HTTP Content-Type, HTML meta tag); it is tried
        after UTF-8, since pages that declare latin-1 but are really UTF-8 are common. Text whose sample is
        more than 5% ASCII control bytes is called binary: such input is not prose in any encoding. (Input
    with a UTF-16/32 byte-order mark is exempt from that test, its bytes being mostly NULs.)
    """
    try:
        if declared:
            codecs.lookup(declared)
    except LookupError:
        declared = None
    return _decode(data, declared)
