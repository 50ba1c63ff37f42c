"""Remove page chrome from a page that is already flat text, keeping every sentence of the article.

Two kinds of evidence decide, and every removal records which one, in words a user can read:

1. *Corpus recurrence* (`storyline.clean.lines`): a line that recurs in several documents beside
   different text is chrome (a copy of the same wire story does not count as different text). Lines next
   to such a line that recur too go with it, so a multi-line footer leaves as a block.
2. *Line cues* (`storyline.clean.cues`): a learned chrome probability per line, used where chrome lives:
   before the article body (headers, datelines, site names), after it (share prompts, comment policies,
   a trailing block that shares almost no words with the article), and, only when nearly certain and the
   line is not a sentence, inside it.

The article body is bracketed by its first and last *sentence lines* (a line of at least
`TextCleanConfig.sentence_words` words that ends like a sentence, with a low chrome probability).
A sentence line inside the body is never removed on line cues alone, and on corpus recurrence only when the
line model also leans towards chrome. Title and a dateline's date are extracted on the way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storyline.clean.cues import load_line_model
from storyline.clean.dates import DateConfig
from storyline.clean.headline import find_published, find_title, split_site_suffix
from storyline.clean.lines import LineEvidence, Recurrence, line_keys
from storyline.clean.normalize import normalize
from storyline.clean.wrap import unwrap
from storyline.model import Removal

__all__ = ["TextCleanConfig", "TextCleaning", "clean_text", "prepare", "tells_when_or_what"]

_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
_ENDS_SENTENCE = re.compile(r"[.!?;,\"')\]]$")
_WORD = re.compile(r"\w+")
_URL_ONLY = re.compile(r"^(?:https?\s*:\s*/\s*/|www\s*\.)\S*(?:\s+[\w./:%?=&#~+-]+)*$", re.IGNORECASE)
_SEPARATOR = re.compile("[|\u2022\u00b7\u00bb\u203a]")
_BLANK_RUN = re.compile(r"\n{3,}")
_ALPHA_WORD = re.compile(r"[^\W\d_]{2,}")
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
_TOPIC_LETTERS = 5
_TOPIC_WORD = re.compile(r"[^\W\d_]{5,}")  # as `cues.topic_words`
# `_SENTENCE_END` and `_ENDS_SENTENCE` as string tests (faster than an anchored regex search):
_CLOSERS = "\"')]"
_STOPS = (".", "!", "?")
_ENDINGS = (".", "!", "?", ";", ",", '"', "'", ")", "]")
#: A dateline sits at the top of a page; a date alone on a line further down is the wrapped tail of a
#: sentence ("... stock split paid" / "June 20, 1986" in a Reuters table).
_DATELINE_LINES = 8


@dataclass(frozen=True, slots=True)
class TextCleanConfig:
    """Thresholds of `clean_text`.

    Recurrence: a line is chrome when it recurs beside at least ``site_min_contents`` different texts
    within one site, or ``global_min_contents`` across the corpus, and those are at least
    ``min_content_share`` of the documents it occurs in (copies of one story share content, so they fail
    this). Lines with fewer than two words of letters need p >= ``body_p`` too (digits are folded in line
    keys), and short sentences ("He was 75.") need p >= ``protect_p`` (they recur naturally).

    Line model: short fragments before the body go at p >= ``head_p`` (``head_long_p`` for fragments of
    ``sentence_words`` words or more, unless they hold ``nav_separators`` separators such as ``|``); at
    most ``tail_fragments`` trailing fragments go at p >= ``tail_p``.
    Sentence lines are never removed on the model alone; one with p < ``body_p`` counts as article body,
    and inside the body a recurring sentence line with p < ``protect_p`` is kept.

    Short sentences of ``rare_words`` or more that recur on under ``rare_share`` of all pages and on no
    site's pages are content ("Terms were not disclosed."), unless the model gives p >= ``chrome_sure_p``.

    Trailing block: a run of sentence lines at the end, within the last ``tail_block_share`` of lines,
    each with at least ``tail_topic_words`` words of 5+ letters of which at most ``tail_shared_words``
    occur earlier, goes when one has p >= ``tail_block_p`` and ``tail_min_body`` sentence lines remain.
    """

    site_min_contents: int = 3
    global_min_contents: int = 5
    min_content_share: float = 0.7
    head_p: float = 0.9
    head_long_p: float = 0.99
    nav_separators: int = 2
    tail_p: float = 0.95
    protect_p: float = 0.3
    body_p: float = 0.5
    sentence_words: int = 8
    tail_shared_words: int = 0
    tail_min_body: int = 4
    tail_topic_words: int = 8
    tail_fragments: int = 3
    tail_block_p: float = 0.6
    tail_block_share: float = 0.34
    rare_share: float = 0.01
    rare_words: int = 3
    chrome_sure_p: float = 0.9


@dataclass(frozen=True, slots=True)
class TextCleaning:
    """Result of `clean_text`: clean text, headline, published date (ISO) and every removal with a reason."""

    text: str
    title: str | None
    published: str | None
    removed: tuple[Removal, ...]


@dataclass(slots=True)
class _Doc:
    """A page's non-blank lines and what the rules ask of each line, computed once per line: the rules
    consult the same few cues (word counts, rows of figures) many times, mostly for a few lines."""

    lines: list[str]
    probs: list[float]
    sentence: list[bool]
    topics: list[set[str]]
    words: list[int]
    keys: list[int]
    _data_rows: dict[int, bool] = field(default_factory=dict)
    _alpha: dict[int, int] = field(default_factory=dict)

    def alpha_words(self, i: int) -> int:
        """Words of two or more letters on line `i`."""
        n = self._alpha.get(i)
        if n is None:
            n = self._alpha[i] = len(_ALPHA_WORD.findall(self.lines[i]))
        return n

    def data_row(self, i: int) -> bool:
        """`_data_row` of line `i`."""
        row = self._data_rows.get(i)
        if row is None:
            row = self._data_rows[i] = _data_row(self.lines[i], self.alpha_words(i))
        return row


def clean_text(
    text: str,
    evidence: LineEvidence | None = None,
    site: str | None = None,
    config: TextCleanConfig = TextCleanConfig(),
    dates: DateConfig | None = None,
) -> TextCleaning:
    """Normalise `text` and strip its page chrome; see the module docstring for the rules. `dates`
    bounds the dateline's date (see `dates.dateline_date`)."""
    normal = prepare(text)
    lines = [line for line in normal.split("\n") if line]
    if not lines:
        return TextCleaning("", None, None, ())
    lowered = "\n".join(lines).lower()  # lines hold no "\n", and lower() neither makes nor joins lines
    words = [_WORD.findall(line) for line in lines]
    topics = [
        _topic_words(line, low, ws) for line, low, ws in zip(lines, lowered.split("\n"), words, strict=True)
    ]
    probs = load_line_model().chrome_probabilities(lines, topics, words)
    counts = [len(w) for w in words]
    least = config.sentence_words
    sentence = [n >= least and _sentence_end(line) for line, n in zip(lines, counts, strict=True)]
    doc = _Doc(lines, probs, sentence, topics, counts, line_keys(lines, lowered))
    reasons = _recurring(doc, evidence, site, config)
    start, end = _body_span(doc, reasons, config)
    # A text without one sentence line (a table, a list of figures) has no page header to cut.
    head = start if start < len(lines) else 0
    _extend_blocks(doc, evidence, head, end, reasons)
    title_at, title, replaced = _title(doc, start, site, reasons)
    head_lines = lines[: min(start, _DATELINE_LINES)]
    published = next((p for p in (find_published(line, dates) for line in head_lines) if p), None)
    _head_and_core(doc, head, end, title_at, title, reasons, config)
    _sandwiched_labels(doc, head, title_at, reasons)
    _trailing_block(doc, end, reasons, config)
    return _assemble(normal, doc, reasons, title_at, title, replaced, published)


def prepare(text: str) -> str:
    """Flat text as the cleaner reads it, in lines: hard wrapping undone, then normalised. The corpus
    evidence pass records the lines of exactly this text."""
    return normalize(unwrap(text))


def tells_when_or_what(removal: Removal) -> bool:
    """Whether a removed line still tells when or what: a dateline or a header line before the body
    (a time stamp, a sub-headline). Chrome to a reader, but evidence of which event a page reports;
    navigation bars and lines recurring across pages are not."""
    return removal.reason.startswith(("dateline ", "page header line "))


def _sentence_end(line: str) -> bool:
    """`_SENTENCE_END` of a line (no line break): a stop, then closing quotes or brackets only."""
    return line.rstrip(_CLOSERS).endswith(_STOPS)


def _ends_sentence(line: str) -> bool:
    """`_ENDS_SENTENCE` of a line (no line break)."""
    return line.endswith(_ENDINGS)


def _topic_words(line: str, lowered: str, words: list[str]) -> set[str]:
    """`cues.topic_words` of a line, given it lower-cased and its ``\\w+`` words. In ASCII a run of
    letters lies inside one word and lower-casing keeps every character a letter or not, so the runs
    are the long words that are all letters plus the runs inside the few long mixed words."""
    if not line.isascii():
        return {w[:5] for w in _TOPIC_WORD.findall(lowered)}
    long = [w for w in words if len(w) >= _TOPIC_LETTERS]
    letters = list(filter(str.isalpha, long))
    topics = {w[:5] for w in map(str.lower, letters)}
    if len(letters) < len(long):
        for mixed in long:
            if not mixed.isalpha():
                topics.update(w[:5] for w in _TOPIC_WORD.findall(mixed.lower()))
    return topics


def _recurring(
    doc: _Doc, evidence: LineEvidence | None, site: str | None, config: TextCleanConfig
) -> dict[int, str]:
    """Reasons for lines that recur beside different text, then the recurring lines adjacent to them."""
    if evidence is None:
        return {}
    reasons: dict[int, str] = {}
    empty = Recurrence(0, 0)
    global_counts, site_counts = evidence.global_counts, evidence.site_counts
    for i, key in enumerate(doc.keys):
        glob = global_counts.get(key, empty)
        local = site_counts.get((key, site), empty) if site else empty
        # The counts decide first (most lines recur nowhere); the exceptions below only keep a line.
        if _chrome_count(local, config.site_min_contents, config):
            reason = f"recurs in {local.docs} documents of this site next to different text"
        elif _chrome_count(glob, config.global_min_contents, config):
            reason = f"recurs in {glob.docs} documents next to different text"
        else:
            continue
        if doc.probs[i] < config.protect_p and _short_sentence(doc, i, config):
            continue  # a short sentence ("He was 75.") recurs across articles; needs the model's agreement
        if _rare_sentence(doc, i, glob, local, evidence, config):
            continue
        if _table_label(doc, i):
            continue
        if doc.alpha_words(i) < 2 and doc.probs[i] < config.body_p:
            continue  # digits are folded in keys, so "38,153" and "1500 GMT" would collide across articles
        if doc.data_row(i):
            continue  # the same form with other figures is content, not chrome
        reasons[i] = reason
    return reasons


def _data_row(line: str, alpha_words: int) -> bool:
    """A row of figures ("Shr 16 cts vs 13 cts", "Total 25273"), which recurs across reports with the
    figures folded out of its line key; a date or time line is not one. `alpha_words`: its words of
    two or more letters."""
    figures_needed = 1 if alpha_words <= 2 else 2
    return len(_FIGURE.findall(line)) >= figures_needed and not find_published(line)


def _rare_sentence(
    doc: _Doc, i: int, glob: Recurrence, local: Recurrence, evidence: LineEvidence, config: TextCleanConfig
) -> bool:
    """A short sentence ("Terms were not disclosed.") that recurs on a small share of all pages and never
    within one site: a sentence news reports share, not chrome (which a site repeats on its pages)."""
    if local.docs or not evidence.documents or doc.probs[i] >= config.chrome_sure_p:
        return False
    words = doc.words[i]
    rare = glob.docs < config.rare_share * evidence.documents
    return rare and config.rare_words <= words < config.sentence_words and _ends_sentence(doc.lines[i])


def _table_label(doc: _Doc, i: int) -> bool:
    """A short label between rows of figures ("Nine months" inside an earnings table)."""
    if not 0 < i < len(doc.lines) - 1 or doc.words[i] > _LABEL_WORDS:
        return False
    return doc.data_row(i - 1) and doc.data_row(i + 1)


def _short_sentence(doc: _Doc, i: int, config: TextCleanConfig) -> bool:
    return doc.words[i] < config.sentence_words and _sentence_end(doc.lines[i])


def _extend_blocks(
    doc: _Doc, evidence: LineEvidence | None, start: int, end: int, reasons: dict[int, str]
) -> None:
    """Outside the body, a recurring line next to a removed recurring line goes with its block."""
    if evidence is None or not reasons:
        return
    empty = Recurrence(0, 0)
    docs = [evidence.global_counts.get(key, empty).docs for key in doc.keys]
    grown = True
    while grown:
        grown = False
        for i in list(reasons):
            for j in (i - 1, i + 1):
                outside = j < start or j > end
                if not (0 <= j < len(doc.lines)) or j in reasons or not outside:
                    continue
                if docs[j] >= 3 and doc.probs[j] >= 0.5 and not doc.data_row(j):
                    reasons[j] = f"recurs in {docs[j]} documents, next to a recurring block"
                    grown = True


def _chrome_count(rec: Recurrence, least: int, config: TextCleanConfig) -> bool:
    return rec.contents >= least and rec.contents >= config.min_content_share * rec.docs


def _body_span(doc: _Doc, reasons: dict[int, str], config: TextCleanConfig) -> tuple[int, int]:
    """First and last sentence line not already judged chrome; (n, n) when there is none."""
    body = [
        i
        for i, (ok, p) in enumerate(zip(doc.sentence, doc.probs, strict=True))
        if ok and p < config.body_p and i not in reasons
    ]
    if not body:
        return len(doc.lines), len(doc.lines)
    for i in list(reasons):
        if not body[0] < i < body[-1]:
            continue
        line, p = doc.lines[i], doc.probs[i]
        # Inside the body, recurring sentences ("Terms were not disclosed.") and rows of figures are
        # content; only what the line model also calls chrome goes.
        if (doc.sentence[i] and p < config.protect_p) or (
            (_ends_sentence(line) or doc.data_row(i)) and p < config.body_p
        ):
            del reasons[i]
    return body[0], body[-1]


def _title(
    doc: _Doc, start: int, site: str | None, reasons: dict[int, str]
) -> tuple[int | None, str | None, str | None]:
    """Headline index, headline text and the site suffix cut from it (see `storyline.clean.headline`)."""
    head = [line if not _URL_ONLY.match(line) else "" for line in doc.lines[:start]]
    at = find_title(head)
    if at is None:
        return None, None, None
    reasons.pop(at, None)
    title, suffix = split_site_suffix(doc.lines[at], set(doc.lines), site)
    return at, title, suffix


def _head_and_core(
    doc: _Doc,
    start: int,
    end: int,
    title_at: int | None,
    title: str | None,
    reasons: dict[int, str],
    config: TextCleanConfig,
) -> None:
    """Line-cue removals before the body span: URLs, repeated headline, fragments the model is sure of."""
    for i in range(min(start + 1, len(doc.lines))):  # every rule below holds only up to `start`
        line, p = doc.lines[i], doc.probs[i]
        if i in reasons or i == title_at:
            continue
        if i < start and _URL_ONLY.match(line):
            reasons[i] = "bare URL line before the article"
        elif title is not None and line == title and (title_at is None or i > title_at) and i <= start:
            reasons[i] = "repeats the headline"
        elif i < start and _head_fragment(line, doc.words[i], p, config):
            what = "dateline" if find_published(line) else "page header line"
            if len(_SEPARATOR.findall(line)) >= config.nav_separators:
                what = "site header: navigation/date/weather line"
            reasons[i] = f"{what} before the article (line model p={p:.2f})"


_LABEL_WORDS = 3


def _sandwiched_labels(doc: _Doc, start: int, title_at: int | None, reasons: dict[int, str]) -> None:
    """Before the body, a label of a few words between two chrome lines is chrome too: a section name
    ("World") between a site header and a repeated headline, a byline stub between navigation bars."""
    for i in range(1, min(start, len(doc.lines) - 1)):
        line = doc.lines[i]
        if i in reasons or i == title_at or _ends_sentence(line):
            continue
        if doc.words[i] <= _LABEL_WORDS and i - 1 in reasons and i + 1 in reasons:
            reasons[i] = "short label between page header lines"


def _head_fragment(line: str, words: int, p: float, config: TextCleanConfig) -> bool:
    """A short non-sentence the model is sure of; a long one (a lede without its full stop) needs more:
    near certainty, or separators that make it a navigation bar (``Home | Calgary | -12°C | Login``).
    `words`: its ``\\w+`` words."""
    if _ends_sentence(line) or p < config.head_p:
        return False
    if len(_SEPARATOR.findall(line)) >= config.nav_separators:
        return True
    return words < config.sentence_words or p >= config.head_long_p


def _trailing_block(doc: _Doc, end: int, reasons: dict[int, str], config: TextCleanConfig) -> None:
    """Remove trailing chrome: a short run of fragments the model is sure of, or an off-topic block.

    A long sentence line is off topic when (almost) none of its words occur in the text before it, not
    counting earlier off-topic lines; a trailing run of such lines (a comment policy, a disclaimer) goes
    when the model leans towards chrome on one of them and enough body remains for word overlap to mean
    something. Words compare by their first five letters, a crude stem (``cable``/``cables``).
    Fragments (lists, credits) never join that run.
    """
    words = doc.topics
    first = len(doc.lines) - max(1, int(config.tail_block_share * len(doc.lines)))
    seen: set[str] = set()
    for i in range(first):
        if i not in reasons:
            seen |= words[i]
    run: list[int] = []
    for i in range(first, len(doc.lines)):
        if i in reasons:
            continue
        off = (
            doc.sentence[i]
            and len(words[i]) >= config.tail_topic_words
            and len(words[i] & seen) <= config.tail_shared_words
        )
        if off:
            run.append(i)
        else:
            seen |= words[i]
            run = []
    top = max((doc.probs[i] for i in run), default=0.0)
    body = sum(1 for i, ok in enumerate(doc.sentence) if ok and i not in reasons and i not in run)
    if top >= config.tail_block_p and body >= config.tail_min_body:
        for i in run:
            p = doc.probs[i]
            reasons[i] = (
                f"trailing block unrelated to the article (line model p={p:.2f}, block max {top:.2f})"
            )
    fragments: list[int] = []
    for i in range(len(doc.lines) - 1, end, -1):
        if i in reasons:
            continue
        if doc.probs[i] < config.tail_p or _ends_sentence(doc.lines[i]):
            break
        fragments.append(i)
    if len(fragments) <= config.tail_fragments:
        for i in fragments:
            reasons[i] = f"page footer line after the article (line model p={doc.probs[i]:.2f})"


def _assemble(
    normal: str,
    doc: _Doc,
    reasons: dict[int, str],
    title_at: int | None,
    title: str | None,
    suffix: str | None,
    published: str | None,
) -> TextCleaning:
    removed: list[Removal] = []
    out: list[str] = []
    index = 0
    for raw in normal.split("\n"):
        if not raw:
            out.append(raw)
            continue
        if index in reasons:
            removed.append(Removal(raw, reasons[index]))
        elif index == title_at and title is not None:
            out.append(title)
            if suffix:
                removed.append(Removal(suffix.strip(), "site name after the headline"))
        else:
            out.append(raw)
        index += 1
    text = _BLANK_RUN.sub("\n\n", "\n".join(out)).strip("\n")
    return TextCleaning(text, title, published, tuple(removed))
