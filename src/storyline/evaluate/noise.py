r"""Noisy reposts of real articles, for measuring copy detection where no labelled reposts exist.

A wire story reaches the web through many hands: a site wraps it in its own chrome, a scraper glues
words or breaks lines, an OCR pass confuses letters, an editor re-headlines, abridges or updates it.
Each function below applies one such change and nothing else, so a test can check them one at a time;
`make_repost` mixes several and records which. All randomness comes from an injected `random.Random`,
so a seed fixes every repost.

Texts are modelled as paragraphs separated by blank lines, the first paragraph being the headline.
Words are ``\w+`` runs (`word_tokens`), as in the extraction metric, and every noise keeps at least
half of an article's words by construction (given a headline of less than half of them): `abridge`
keeps `NoiseConfig.abridge_keep`, `drop_paragraph` three quarters, `hard_wrap` three quarters (it
hyphenates at most a quarter of a paragraph's words), `glue_words` and `ocr_typos`
`NoiseConfig.damage_keep` (they stop damaging words at that budget), and the others only add text,
change the headline or one figure.
Tests measure with the same `kept_share`, so generator and test cannot disagree on what a word is.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from storyline.evaluate._templates import footer_lines, header_lines, invented_paragraph

__all__ = [
    "NOISES",
    "NoiseConfig",
    "Repost",
    "abridge",
    "add_boilerplate",
    "add_dateline",
    "add_html_entities",
    "add_paragraph",
    "change_headline",
    "curly_quotes",
    "drop_paragraph",
    "glue_words",
    "hard_wrap",
    "kept_share",
    "make_repost",
    "ocr_typos",
    "update_wire",
    "word_tokens",
]

_WORD = re.compile(r"\w+")


def _budget(words: int, config: NoiseConfig) -> int:
    """How many of `words` words a damaging noise may spoil (no limit when `damage_keep` is 0)."""
    return sys.maxsize if config.damage_keep <= 0 else int(words * (1 - config.damage_keep))


def word_tokens(text: str) -> list[str]:
    """The words of `text`, lowercased: runs of word characters."""
    return _WORD.findall(text.lower())


def kept_share(original: str, noisy: str) -> float:
    """The share of `original`'s words (with multiplicity) that `noisy` still has (1 when `original`
    has none)."""
    before, after = Counter(word_tokens(original)), Counter(word_tokens(noisy))
    total = sum(before.values())
    return sum((before & after).values()) / total if total else 1.0


@dataclass(frozen=True, slots=True)
class NoiseConfig:
    """Strength of each noise; defaults are what scraped reposts of news typically show.

    `ocr_rate` is the chance per character of an OCR confusion; `glue_rate` the share of word gaps
    lost; `wrap_width` the column hard wraps aim at; `abridge_keep` the least share of words an
    abridged version keeps; `min_noises`/`max_noises` bound how many kinds `make_repost` mixes;
    `repost_keep` is the least share of the article's words a repost keeps (a noise that would leave
    fewer is skipped); `damage_keep` the least share `glue_words` and `ocr_typos` leave undamaged.
    """

    ocr_rate: float = 0.01
    glue_rate: float = 0.02
    wrap_width: int = 70
    hyphenate_share: float = 0.3
    abridge_keep: float = 0.5
    min_noises: int = 1
    max_noises: int = 5
    repost_keep: float = 0.4
    damage_keep: float = 0.6


@dataclass(frozen=True, slots=True)
class Repost:
    """A noisy copy and the noises applied to it, in order."""

    text: str
    noises: tuple[str, ...]


Noise = Callable[[str, random.Random, NoiseConfig], str]


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _join(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def add_boilerplate(text: str, rng: random.Random, config: NoiseConfig) -> str:
    """Wrap the text in a site's chrome: header, navigation, and a footer of policies and links."""
    head = header_lines(rng)
    foot = footer_lines(rng)
    return "\n".join(head) + "\n\n" + text + "\n\n" + "\n".join(foot)


def glue_words(text: str, rng: random.Random, config: NoiseConfig) -> str:
    """Drop spaces between words ("agenciesTuesday"), some right after a full stop ("Wednesday.Russian").

    A glued gap costs the word on either side of it; gluing stops where it would cost more than
    1 - `damage_keep` of the words, so at least that share survives whatever the random draws.
    """
    out: list[str] = []
    pieces = re.split(r"( )", text)
    budget = _budget(len(word_tokens(text)), config)
    for i, piece in enumerate(pieces):
        if piece == " " and 0 < i < len(pieces) - 1 and pieces[i - 1] and pieces[i + 1]:
            after_stop = pieces[i - 1].endswith(".")
            rate = config.glue_rate * (3 if after_stop else 1)
            if rng.random() < rate:
                cost = bool(_WORD.search(pieces[i - 1][-1:])) + bool(_WORD.match(pieces[i + 1]))
                if cost <= budget:
                    budget -= cost
                    continue
        out.append(piece)
    return "".join(out)


_OCR_SWAPS: Mapping[str, tuple[str, ...]] = {
    "rn": ("m",),
    "m": ("rn",),
    "cl": ("d",),
    "l": ("1", "I"),
    "I": ("l", "1"),
    "e": ("c",),
    "c": ("e",),
    "o": ("0",),
    "O": ("0",),
    "i": ("l",),
    "h": ("b",),
    "S": ("5",),
}


def _word_at(text: str) -> list[int]:
    """For each character of `text`, the number of the word it is in (-1 between words)."""
    owner = [-1] * len(text)
    for n, match in enumerate(_WORD.finditer(text)):
        owner[match.start() : match.end()] = [n] * (match.end() - match.start())
    return owner


def ocr_typos(text: str, rng: random.Random, config: NoiseConfig) -> str:
    """Confuse look-alike characters (rn->m, l->1, e->c) and drop a few, at `ocr_rate` per character.

    Every change is inside one word (only letters and digits are swapped or dropped); once 1 -
    `damage_keep` of the words are damaged, further changes go to damaged words only.
    """
    out: list[str] = []
    owner = _word_at(text)
    damaged: set[int] = set()
    budget = _budget(max(owner, default=-1) + 1, config)
    i = 0
    while i < len(text):
        if rng.random() >= config.ocr_rate or (owner[i] not in damaged and len(damaged) >= budget):
            out.append(text[i])
            i += 1
            continue
        damaged.add(owner[i])
        two = text[i : i + 2]
        if two in _OCR_SWAPS:
            out.append(rng.choice(_OCR_SWAPS[two]))
            i += 2
        elif text[i] in _OCR_SWAPS:
            out.append(rng.choice(_OCR_SWAPS[text[i]]))
            i += 1
        elif text[i].isalpha() and rng.random() < 0.5:
            i += 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _wrap_paragraph(par: str, width: int, rng: random.Random, hyphenate: float) -> str:
    """`par` broken into lines of about `width`; a hyphenated word is lost to the word measure, so at
    most a quarter of the paragraph's words are hyphenated."""
    lines: list[str] = []
    line = ""
    words = par.split()
    budget = len(words) // 4
    for word in words:
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        elif len(word) >= 8 and word.isalpha() and budget > 0 and rng.random() < hyphenate:
            budget -= 1
            cut = max(3, min(len(word) - 3, width - len(line) - 2))
            lines.append(f"{line} {word[:cut]}-")
            line = word[cut:]
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return "\n".join(lines)


def hard_wrap(text: str, rng: random.Random, config: NoiseConfig) -> str:
    """Break lines near a fixed column, as e-mail and wire feeds do, hyphenating some long words."""
    width = config.wrap_width + rng.randint(-6, 6)
    lines = text.split("\n")
    return "\n".join(_wrap_paragraph(line, width, rng, config.hyphenate_share) for line in lines)


def curly_quotes(text: str, rng: random.Random, config: NoiseConfig) -> str:
    """Turn straight quotes and apostrophes into typographic ones, and some double hyphens into dashes."""
    text = re.sub(r"(^|[\s(\[])\"", "\\1\u201c", text)
    text = text.replace('"', "\u201d")
    text = re.sub(r"(\w)'(\w)", "\\1\u2019\\2", text)
    text = re.sub(r"(^|\s)'", "\\1\u2018", text)
    text = text.replace("'", "\u2019")
    return text.replace(" - ", " \u2014 ") if rng.random() < 0.5 else text


def add_html_entities(text: str, rng: random.Random, config: NoiseConfig) -> str:
    """Leave HTML entities unescaped, as a careless scraper does (&amp; &quot; &#8217;)."""
    apostrophe = rng.choice(("&#8217;", "&#39;", "&rsquo;"))
    text = text.replace("&", "&amp;")
    text = re.sub(r"(\w)['\u2019](\w)", lambda m: m.group(1) + apostrophe + m.group(2), text)
    text = re.sub(r"[\"\u201c\u201d]", "&quot;", text)
    return text.replace("\u2014", "&mdash;") if rng.random() < 0.5 else text


_DATELINES: tuple[tuple[str, str], ...] = (
    ("SEOUL, South Korea", "(AP) \u2014"),
    ("LONDON", "(Reuters) -"),
    ("NEW YORK", "(AP) \u2014"),
    ("WASHINGTON", "(Reuters) -"),
    ("PARIS", "(AFP) -"),
    ("MOSCOW", "(AP) \u2014"),
    ("TOKYO", "(Reuters) -"),
    ("BRUSSELS", "(dpa) -"),
    ("SYDNEY, Australia", "(AP) \u2014"),
    ("FRANKFURT", "(Reuters) -"),
)


def add_dateline(text: str, rng: random.Random, config: NoiseConfig) -> str:
    """Open the first body paragraph with a wire dateline ("LONDON (Reuters) -")."""
    pars = _paragraphs(text)
    city, agency = rng.choice(_DATELINES)
    at = 1 if len(pars) > 1 else 0
    pars[at] = f"{city} {agency} {pars[at]}"
    return _join(pars)


_HEADLINE_FORMS: tuple[Callable[[str, random.Random], str], ...] = (
    lambda h, r: f"UPDATE {r.randint(1, 4)}-{h}",
    lambda h, r: h.upper(),
    lambda h, r: f"{h} | {r.choice(('News', 'World', 'Business', 'Latest'))}",
    lambda h, r: " ".join(h.split()[: max(3, len(h.split()) * 2 // 3)]) + "...",
    lambda h, r: f"{r.choice(('Breaking', 'Report', 'Watch', 'Exclusive'))}: {h}",
    lambda h, r: h.title(),
)


def change_headline(text: str, rng: random.Random, config: NoiseConfig) -> str:
    """Re-headline: prefix, truncate, re-case or tag the first line, or replace it from the first sentence."""
    pars = _paragraphs(text)
    if not pars:
        return text
    if len(pars) > 1 and rng.random() < 0.3:
        words = re.findall(r"\w[\w'-]*", pars[1])[:8]
        pars[0] = " ".join(words).capitalize()
    else:
        pars[0] = rng.choice(_HEADLINE_FORMS)(pars[0], rng)
    return _join(pars)


def drop_paragraph(text: str, rng: random.Random, config: NoiseConfig) -> str:
    """Drop one minor body paragraph (not the headline or the lead, at most a quarter of the words).

    This is how a space-cutting editor trims; losing a large share of the text is `abridge`'s job.
    """
    pars = _paragraphs(text)
    total = _word_count(pars)
    minor = [i for i in range(2, len(pars)) if len(word_tokens(pars[i])) * 4 <= total]
    if not minor:
        return text
    del pars[rng.choice(minor)]
    return _join(pars)


def add_paragraph(text: str, rng: random.Random, config: NoiseConfig) -> str:
    """Add one paragraph the original lacks: an editor's note, a local angle, a reporting credit."""
    pars = _paragraphs(text)
    at = rng.randrange(1, len(pars) + 1) if pars else 0
    pars.insert(at, invented_paragraph(rng))
    return _join(pars)


def _word_count(paragraphs: list[str]) -> int:
    return sum(len(word_tokens(p)) for p in paragraphs)


def abridge(text: str, rng: random.Random, config: NoiseConfig) -> str:
    """Keep the first paragraphs and cut the rest, keeping at least `abridge_keep` of the words."""
    pars = _paragraphs(text)
    total = _word_count(pars)
    target = total * (config.abridge_keep + rng.random() * (1 - config.abridge_keep) * 0.8)
    kept: list[str] = []
    for par in pars:
        kept.append(par)
        if _word_count(kept) >= target and len(kept) >= 2:
            break
    return _join(kept)


def _change_figure(text: str, rng: random.Random) -> str:
    numbers = list(re.finditer(r"\b\d+\b", text))
    if not numbers:
        return text
    m = rng.choice(numbers)
    value = int(m.group())
    new = value + rng.randint(1, max(2, value // 5 + 1))
    return text[: m.start()] + str(new) + text[m.end() :]


def update_wire(text: str, rng: random.Random, config: NoiseConfig) -> str:
    """A later wire version: new paragraphs high up and one figure changed (a toll, a price, a count)."""
    pars = _paragraphs(text)
    for _ in range(rng.randint(1, 2)):
        at = rng.randrange(1, min(4, len(pars)) + 1) if pars else 0
        pars.insert(at, invented_paragraph(rng))
    return _change_figure(_join(pars), rng)


# Content edits first, then chrome, then character-level damage, then line wrapping: the order in
# which an article passes through an editor, a site's template and a scraper.
NOISES: Mapping[str, Noise] = {
    "abridge": abridge,
    "update_wire": update_wire,
    "drop_paragraph": drop_paragraph,
    "add_paragraph": add_paragraph,
    "change_headline": change_headline,
    "add_dateline": add_dateline,
    "add_boilerplate": add_boilerplate,
    "curly_quotes": curly_quotes,
    "add_html_entities": add_html_entities,
    "glue_words": glue_words,
    "ocr_typos": ocr_typos,
    "hard_wrap": hard_wrap,
}


def make_repost(text: str, rng: random.Random, config: NoiseConfig | None = None) -> Repost:
    """A repost mixing `min_noises` to `max_noises` random noises, applied in pipeline order.

    Noises compound (an abridged text that then loses a paragraph), so one that would leave less than
    `NoiseConfig.repost_keep` of the article's words is skipped and not recorded: every repost keeps at
    least that share by construction. (On 3,000 BBC reposts with the defaults none came near it.)
    """
    config = config or NoiseConfig()
    k = rng.randint(config.min_noises, min(config.max_noises, len(NOISES)))
    chosen = set(rng.sample(sorted(NOISES), k))
    applied: list[str] = []
    original = text
    for name, noise in NOISES.items():
        if name in chosen:
            noisy = noise(text, rng, config)
            if kept_share(original, noisy) >= config.repost_keep:
                text = noisy
                applied.append(name)
    return Repost(text, tuple(applied))
