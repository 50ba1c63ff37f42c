"""The cited summary and the per-source additions, both read off one support matrix.

The sentences of every article are compared once (`storyline.view.text`); from that:

- a sentence's *sources* are the copy groups with an article stating it; the summary takes canonical
  members' prose sentences stated by the most independent sources (ties: earlier in its article, then
  shorter), skips any sentence that states or is stated by one already taken, and tells them in story
  order (relative position in their articles);
- an *addition* of a source is a prose sentence of its canonical member that no other group states, even
  under a looser rule (``novel_share``), ranked by the particulars only it gives (names, numbers).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storyline.view.model import Addition, Cited, ViewArticle, ViewConfig
from storyline.view.text import (
    Sentence,
    content_words,
    is_prose,
    overlap_matrix,
    split_sentences,
    supported,
    word_set,
    words,
)

__all__ = ["Evidence", "build_evidence", "find_additions", "summarize"]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Sentences of every article with who states what: ``stated[i, j]`` = sentence j states sentence i;
    ``loose`` is the same at ``novel_share``. ``groups[i]`` is sentence i's copy group, ``group_codes[i]``
    the same as a number."""

    sentences: tuple[Sentence, ...]
    groups: tuple[str, ...]
    counts: Mapping[str, int]
    stated: npt.NDArray[np.bool_]
    loose: npt.NDArray[np.bool_]
    group_codes: npt.NDArray[np.int64]


def build_evidence(articles: Sequence[ViewArticle], config: ViewConfig) -> Evidence:
    """Split every article into sentences (its title left out) and compare them all once."""
    sentences: list[Sentence] = []
    groups: list[str] = []
    counts: dict[str, int] = {}
    for a in articles:
        parts = [s for s in split_sentences(a.text) if s != (a.title or "").strip()]
        counts[a.id] = len(parts)
        for i, s in enumerate(parts):
            sentences.append(Sentence(a.id, i, s, content_words(s)))
            groups.append(a.report)
    overlap = overlap_matrix(sentences)
    stated = supported(overlap, config.support_share, config.support_min_words)
    loose = supported(overlap, config.novel_share, 2)
    codes = {g: k for k, g in enumerate(sorted(set(groups)))}
    group_codes = np.array([codes[g] for g in groups], dtype=np.int64)
    return Evidence(tuple(sentences), tuple(groups), counts, stated, loose, group_codes)


def _sources(ev: Evidence, i: int, matrix: npt.NDArray[np.bool_]) -> tuple[set[str], set[str]]:
    """The groups and the articles that state sentence i (its own article included)."""
    hits = np.flatnonzero(matrix[i])
    return {ev.groups[j] for j in hits} | {ev.groups[i]}, {ev.sentences[j].article_id for j in hits}


_FIRST_PERSON = word_set("I I'm I've we We my My our Our me us")
_DANGLING = word_set("he she they it this that these those his her their its but and also")


def _standalone(text: str, config: ViewConfig) -> bool:
    """A summary sentence must read on its own: prose, no question, no leading pronoun, and no quotation
    (a quote mark first, or a speaker's "I", "we", "my", "our")."""
    tokens = words(text)
    return (
        is_prose(text, config.prose_words)
        and not text.endswith("?")
        and text[0] not in "\"'`\u201c\u2018"
        and not (tokens and tokens[0].lower() in _DANGLING)
        and not _FIRST_PERSON.intersection(tokens)
    )


def summarize(
    ev: Evidence, canonical: Sequence[str], order: Sequence[str], config: ViewConfig
) -> tuple[Cited, ...]:
    """3-6 central, non-redundant sentences, each with the articles that state it (module docstring)."""
    rank = {aid: r for r, aid in enumerate(order)}
    keep = set(canonical)
    candidates = []
    for i, s in enumerate(ev.sentences):
        if s.article_id in keep and _standalone(s.text, config):
            groups, _ = _sources(ev, i, ev.stated)
            pos = s.index / max(ev.counts[s.article_id], 1)
            candidates.append((-len(groups), pos, len(s.text), rank[s.article_id], i))
    candidates.sort()
    several = len(set(ev.groups)) > 1
    chosen: list[int] = []
    for negative_sources, *_, i in candidates:
        if len(chosen) >= config.summary_max:
            break
        if any(ev.stated[i, j] or ev.stated[j, i] or (ev.loose[i, j] and ev.loose[j, i]) for j in chosen):
            continue
        if len(chosen) >= config.summary_min and several and negative_sources > -2:
            break
        chosen.append(i)
    chosen.sort(key=lambda i: (ev.sentences[i].index / max(ev.counts[ev.sentences[i].article_id], 1), i))
    out = []
    for i in chosen:
        groups, ids = _sources(ev, i, ev.stated)
        ordered = tuple(sorted(ids, key=lambda a: rank[a]))
        out.append(Cited(ev.sentences[i].text, ordered, len(groups)))
    return tuple(out)


def find_additions(
    ev: Evidence, canonical: Sequence[str], known_by_group: Mapping[str, frozenset[str]], config: ViewConfig
) -> tuple[Addition, ...]:
    """Per independent source, the prose sentences no other copy group states (even loosely) and of
    whose content words at least ``novel_words`` appear in no other group (a paraphrase split over two
    sentences fails this), ranked by the particulars only they give (names, numbers), at most
    ``max_additions``, told in article order. ``known_by_group``: each group's lowercase tokens."""
    if len(known_by_group) < 2:
        return ()
    spread = Counter(w for vocab in known_by_group.values() for w in vocab)
    content = _content_by_group(ev)
    content_spread = Counter(w for vocab in content.values() for w in vocab)
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(ev.sentences):
        by_article[s.article_id].append(i)
    out = []
    for aid in canonical:
        picks = []
        for i in by_article[aid]:
            s, group = ev.sentences[i], ev.groups[i]
            if not is_prose(s.text, config.prose_words) or s.text.endswith("?"):
                continue
            if np.any(ev.loose[i] & (ev.group_codes != ev.group_codes[i])):
                continue
            fresh = [w for w in s.content if content_spread[w] - (w in content[group]) == 0]
            if len(fresh) < config.novel_words * len(s.content):
                continue
            own = known_by_group[group]
            novel = {
                w
                for w in words(s.text)
                if (w[0].isupper() or w[0].isdigit()) and spread[w.lower()] - (w.lower() in own) == 0
            }
            picks.append((-len(novel), -len(fresh) / len(s.content), s.index, i))
        chosen = sorted(picks)[: config.max_additions]
        if chosen:
            texts = tuple(ev.sentences[t[-1]].text for t in sorted(chosen, key=lambda t: t[2]))
            out.append(Addition(aid, texts))
    return tuple(out)


def _content_by_group(ev: Evidence) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for s, g in zip(ev.sentences, ev.groups, strict=True):
        out[g] |= s.content
    return out
