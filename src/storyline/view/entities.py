"""Key people, places and organisations of a story, by capitalisation heuristics: no model at all.

Why no model: the brief allows a tagger only if it ships inside a pinned PyPI package with clean
provenance and measurably helps. A heuristic needs no download, no extra dependency, runs at regex
speed and works on any Latin-script text; the view only needs the *key* names of one story (those that
recur across sources), where capitalised runs are reliable and a tagger's advantage (rare, lowercase or
sentence-initial names) matters little. Kinds come from votes over every mention:

- **person**: a title inside or just before the run ("President Vladimir Putin", "aide Yuri Ushakov"),
  or a multi-word name followed by "said"/"told"; a lone surname ("Putin") merges into the one full
  person name that starts or ends with it.
- **organisation**: an organisation word in the run ("Ministry", "University", "Press") or an acronym.
- **place**: a place word ("City", "Island", "Peninsula", "North") or a locative preposition before
  it ("in Vladivostok").

A sentence-initial word counts as a name only when the story also capitalises it mid-sentence and never
writes it in lowercase. Demonyms of a named place ("Russian" beside "Russia") are dropped. Counts count
each copy group once (the group's most mentioning member), so a wire story reposted 40 times does not
outweigh independent reporting.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from storyline.stories.features import MONTHS, STOPWORDS, WEEKDAYS
from storyline.view.model import Entity, EntityKind, ViewArticle
from storyline.view.text import split_sentences, word_set

__all__ = ["extract_entities"]

_TOKEN = re.compile(r"[^\W\d_]+(?:[-'\u2019.][^\W\d_]+)*\.?|\d+|[^\w\s]")
_CONNECTORS = word_set("of de la van von al bin du del da")
TITLES = word_set(
    """president secretary minister prime premier chancellor king queen prince princess pope general
    governor senator sen mayor judge sheriff mr mrs ms dr professor prof ambassador envoy chairman
    leader spokesman spokeswoman commander captain lieutenant colonel sergeant officer director chief
    coach rep representative deputy aide adviser advisor actress actor singer rapper star lawyer
    correspondent economist analyst emperor sultan sheikh"""
)
_KIN = word_set("father mother son daughter wife husband brother sister grandfather grandmother uncle")
_PERSON_VERBS = word_set("said says told added explained wrote according")
ORG_WORDS = word_set(
    """agency ministry university council party press service news bank committee court police army
    navy department office company corp corporation inc ltd group association commission government
    administration institute center centre foundation board fund airlines airline school hospital club
    league times post journal reuters tass interfax kremlin congress parliament senate assembly
    organisation organization nations union federal bureau network channel tv radio"""
)
PLACE_WORDS = word_set(
    """city island islands region province county river sea ocean peninsula east west north south
    mountain mountains lake street avenue square bay coast valley district state states republic
    kingdom beach park bridge airport station village town"""
)
_POSSESSIVE = re.compile("['\u2019]s?$")  # "Russia's Ria Novosti" is two names
_DEMONYM_ENDINGS = ("n", "i", "k", "ese", "sh", "ch")
_JOINS = ORG_WORDS | PLACE_WORDS | word_set("gulf cape isle strait port duke earl")  # "Gulf of Aden"
_LOCATIVE = word_set("in at from to near into across outside towards toward around")
_COUNTRY_ACRONYMS = frozenset({"us", "uk", "usa", "uae", "ussr", "u.s.", "u.k."})
_KINDS: tuple[EntityKind, ...] = ("person", "organisation", "place")


@dataclass(slots=True)
class _Name:
    surfaces: Counter[str] = field(default_factory=Counter)
    votes: Counter[str] = field(default_factory=Counter)
    per_article: Counter[str] = field(default_factory=Counter)


def extract_entities(articles: Sequence[ViewArticle], limit: int, min_mentions: int) -> tuple[Entity, ...]:
    """The story's key named things, most widely reported first (see the module docstring)."""
    texts = {a.id: _body(a) for a in articles}
    lower = {w for t in texts.values() for w in re.findall(r"\b[a-z][\w'-]*", t)}
    names: dict[str, _Name] = defaultdict(_Name)
    runs = {aid: list(_runs(text)) for aid, text in texts.items()}
    known = {r[0][0].lower() for rs in runs.values() for r in rs if not r[1]}
    for aid, rs in runs.items():
        for run, initial, before, after in rs:
            if initial and (run[0].lower() not in known or run[0].lower() in lower):
                run = run[1:]
                if not run or run[0].lower() in _CONNECTORS:
                    continue
            _add(names, aid, run, before, after)
    _merge_surnames(names)
    return _select(names, articles, limit, min_mentions)


def _body(article: ViewArticle) -> str:
    return article.text if not article.title else f"{article.title}.\n{article.text}"


Run = tuple[list[str], bool, str, str]


def _runs(text: str) -> Iterable[Run]:
    """Capitalised runs: (tokens, starts a sentence, the word before, the word after)."""
    for sentence in split_sentences(text):
        for run, initial, before, after in _sentence_runs(sentence):
            yield list(run), initial, before, after


@lru_cache(maxsize=1 << 14)
def _sentence_runs(sentence: str) -> tuple[tuple[tuple[str, ...], bool, str, str], ...]:
    out = []
    if sentence:
        tokens = _TOKEN.findall(sentence)
        i = 0
        while i < len(tokens):
            if not _capital(tokens[i]):
                i += 1
                continue
            j = i + 1
            while (
                j < len(tokens)
                and not _POSSESSIVE.search(tokens[j - 1])
                and (
                    _capital(tokens[j])
                    or (
                        tokens[j] in _CONNECTORS
                        and j + 1 < len(tokens)
                        and _capital(tokens[j + 1])
                        and tokens[j - 1].lower() in _JOINS
                    )
                )
            ):
                j += 1
            before = tokens[i - 1].lower() if i else ""
            after = tokens[j].lower() if j < len(tokens) else ""
            run = tuple(t.rstrip(".") if len(t.rstrip(".")) > 3 else t for t in tokens[i:j])
            out.append((run, i == 0 or (i == 1 and not tokens[0][0].isalnum()), before, after))
            i = j
    return tuple(out)


def _capital(token: str) -> bool:
    low = token.lower().rstrip(".")
    return (
        token[0].isupper()
        and low not in STOPWORDS
        and low not in MONTHS
        and low not in WEEKDAYS
        and not (len(low) == 1 and not token.endswith("."))
    )


def _split_title(run: list[str]) -> tuple[list[str], bool]:
    """The name after the last title word ("US Secretary of State Mike Pompeo" -> "Mike Pompeo")."""
    cut = -1
    for i, tok in enumerate(run):
        low = tok.lower().rstrip(".")
        if low in TITLES or (
            low == "state" and i >= 2 and run[i - 1] == "of" and run[i - 2].lower() in TITLES
        ):
            cut = i
    if cut < 0:
        return run, False
    rest = run[cut + 1 :]
    while rest and rest[0] in _CONNECTORS:
        rest = rest[1:]
    return rest, bool(rest)


def _key(run: Sequence[str]) -> str:
    text = " ".join(run).lower().replace("-", " ").replace("\u2019", "'")
    return re.sub(r"'s\b|'$", "", text).strip()


def _add(names: dict[str, _Name], aid: str, run: list[str], before: str, after: str) -> None:
    name, titled = _split_title(run)
    while name and name[-1] in _CONNECTORS:
        name = name[:-1]
    if not name:
        return
    key = _key(name)
    if len(key) < 2:
        return
    entry = names[key]
    entry.surfaces[re.sub(r"['\u2019]s$", "", " ".join(name))] += 1
    entry.per_article[aid] += 1
    entry.votes.update(_votes(name, key, titled, before, after))


def _votes(name: list[str], key: str, titled: bool, before: str, after: str) -> Counter[str]:
    votes: Counter[str] = Counter()
    parts = set(key.split())
    if titled or before in TITLES or before in _KIN:
        votes["person"] += 2
    if after in _PERSON_VERBS and before != "the":
        votes["person"] += 1
    if parts & ORG_WORDS:
        votes["organisation"] += 3
    if key in _COUNTRY_ACRONYMS:
        votes["place"] += 2
    elif len(name) == 1 and name[0].isupper() and 2 <= len(name[0]) <= 6:
        votes["organisation"] += 1
    if parts & PLACE_WORDS:
        votes["place"] += 2
    if before in _LOCATIVE:
        votes["place"] += 1
    if len(name) == 1 and key.endswith(("ia", "stan", "land")):
        votes["place"] += 1
    return votes


def _merge_surnames(names: dict[str, _Name]) -> None:
    """A lone "Putin" joins "Vladimir Putin": the one two- or three-word name, not an organisation or a
    place, that starts or ends with it (far more often than any other such name). Being referred to by
    one part of the name alone is itself a sign of a person, so the merged name gets a person vote.
    Plural team names ("Chargers") are not surnames."""
    kinds = {k: _kind(v.votes) for k, v in names.items()}
    people = [k for k in names if 2 <= len(k.split()) <= 3 and kinds[k] in ("person", "other")]
    for key in [k for k in names if " " not in k and not k.endswith("ers") and not _is_demonym(k, names)]:
        options = [
            p for p in people if p.split()[-1] == key or (p.split()[0] == key and kinds[p] == "person")
        ]
        sizes = {p: sum(names[p].per_article.values()) for p in options}
        if not options:
            continue
        best = max(sorted(options), key=lambda p: sizes[p])
        if 2 * sizes[best] <= sum(sizes.values()):
            continue
        single = names.pop(key)
        names[best].per_article.update(single.per_article)
        names[best].votes.update(single.votes)
        names[best].votes["person"] += 1


def _kind(votes: Mapping[str, int]) -> EntityKind:
    best = max(_KINDS, key=lambda k: votes.get(k, 0))
    return best if votes.get(best, 0) > 0 else "other"


def _select(
    names: dict[str, _Name], articles: Sequence[ViewArticle], limit: int, min_mentions: int
) -> tuple[Entity, ...]:
    group_of = {a.id: a.copy_group for a in articles}
    out: list[tuple[int, int, str, Entity]] = []
    for key, entry in names.items():
        if _is_demonym(key, names):
            continue
        per_group: dict[str, int] = {}
        for aid, n in entry.per_article.items():
            per_group[group_of[aid]] = max(per_group.get(group_of[aid], 0), n)
        count = sum(per_group.values())
        if count < min_mentions:
            continue
        surface = min(entry.surfaces.items(), key=lambda kv: (-kv[1], kv[0]))[0] if entry.surfaces else key
        entity = Entity(surface, _kind(entry.votes), count, tuple(sorted(entry.per_article)))
        out.append((-len(per_group), -count, key, entity))
    out.sort(key=lambda t: t[:3])
    return tuple(e for *_, e in out[:limit])


def _is_demonym(key: str, names: Mapping[str, _Name]) -> bool:
    """ "Russian" beside "Russia", "Greek" beside "Greece", "Thai" beside "Thailand", "North Korean"
    beside "North Korea": a demonym ending, and all but the last two letters (four at least) shared with
    a place; a name ending in "n" is no demonym of a longer place ("Iran" beside "Iranian")."""
    if len(key) < 4 or not key.endswith(_DEMONYM_ENDINGS):
        return False
    head = key[: max(4, len(key) - 2)]
    return any(
        other != key
        and other.startswith(head)
        and _kind(names[other].votes) == "place"
        and (len(other) < len(key) or not key.endswith("n"))
        for other in names
        if other[:1] == key[:1]
    )
