"""The result rows every output shares: one per input item, one per link.

One implementation of each row, so ``run --out FILE.jsonl``, ``run --out FILE.parquet`` and the
Parquet datasets of ``storyline batch`` (either engine) cannot drift apart: the writers in
:mod:`storyline.batch.output` only encode these dictionaries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from storyline.model import CopyLink
from storyline.pipeline import Outcome
from storyline.store import Store

__all__ = ["OUT_FIELDS", "article_records", "link_record", "reuses_in", "reuses_of"]

#: Items whose rows are read from the store together.
_CHUNK = 2_000

#: The fields of an item's row, in order; ``new`` (False for an article an earlier run stored) last.
OUT_FIELDS = (
    "id",
    "source",
    "status",
    "reason",
    "kind",
    "url",
    "site",
    "title",
    "published",
    "published_source",
    "text",
    "copy_group",
    "reuses",
    "story",
    "removed",
    "notes",
    "new",
)


def link_record(link: CopyLink) -> dict[str, Any]:
    """A link as JSON: its ends, kind, probability, passages ``[a_start, a_end, b_start, b_end, quoted]``."""
    return {
        "a": link.a,
        "b": link.b,
        "kind": link.kind,
        "probability": round(link.probability, 4),
        "passages": [[p.a_start, p.a_end, p.b_start, p.b_end, p.quoted] for p in link.passages],
        "evidence": dict(link.evidence),
    }


def reuses_in(store: Store, ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """The links of each of `ids` to articles outside its copy group: shared passages that do not make
    copies, as ``{"article", "kind", "probability", "passages": [[own_start, own_end, other_start,
    other_end, quoted]]}``, in link order; one read of the store for all of them."""
    wanted = set(ids)
    links = store.link_spans_touching(wanted)
    group_of = store.groups_of({end for a, b, *_ in links for end in (a, b)})
    reuses: dict[str, list[dict[str, Any]]] = {}
    for a, b, kind, probability, spans in links:
        if group_of.get(a, a) == group_of.get(b, b):
            continue  # a link within a copy group is not a reuse
        p = round(probability, 4)
        if a in wanted:
            own = [[s[0], s[1], s[2], s[3], bool(s[4])] for s in spans]
            reuses.setdefault(a, []).append({"article": b, "kind": kind, "probability": p, "passages": own})
        if b in wanted:
            own = [[s[2], s[3], s[0], s[1], bool(s[4])] for s in spans]
            reuses.setdefault(b, []).append({"article": a, "kind": kind, "probability": p, "passages": own})
    return reuses


def reuses_of(store: Store, article_id: str) -> list[dict[str, Any]]:
    """The article's links to articles outside its copy group (see :func:`reuses_in`)."""
    return reuses_in(store, [article_id]).get(article_id, [])


def _rows(store: Store, outcomes: Sequence[Outcome]) -> Iterator[dict[str, Any]]:
    """The rows of `outcomes`, with the store read once for all of them (per article, a whole-table
    export would make several queries per row)."""
    ids = [o.id for o in outcomes if o.status != "rejected" and o.id is not None]
    group_of = store.groups_of(ids)
    stories = store.stories_of(ids)
    reuses = reuses_in(store, ids)
    for outcome in outcomes:
        record: dict[str, Any] = dict.fromkeys(OUT_FIELDS)
        record.update(
            id=outcome.id,
            source=outcome.source,
            status=outcome.status,
            reason=outcome.reason,
            kind=outcome.kind,
            removed=[],
            reuses=[],
        )
        if outcome.status == "rejected" or outcome.id is None:
            yield record
            continue
        article = store.article(outcome.id)
        if article is None:  # pragma: no cover - an ok outcome is always stored first
            raise LookupError(f"article {outcome.id} vanished from the store")
        record.update(
            reason=None,
            url=article.url,
            site=article.site,
            title=article.title,
            published=article.published.isoformat() if article.published else None,
            published_source=article.published_source,
            text=article.text,
            copy_group=group_of.get(article.id),
            reuses=reuses.get(article.id, []),
            story=stories.get(article.id),
            new=outcome.new,
            removed=[{"text": r.text, "reason": r.reason} for r in article.removed],
            notes=list(article.notes),
        )
        yield record


def article_records(store: Store, outcomes: Iterable[Outcome]) -> Iterator[dict[str, Any]]:
    """The row of each input item, in order: what became of it and, for an article, its final copy
    group and story (so read them after the run's last batch)."""
    chunk: list[Outcome] = []
    for outcome in outcomes:
        chunk.append(outcome)
        if len(chunk) == _CHUNK:
            yield from _rows(store, chunk)
            chunk = []
    yield from _rows(store, chunk)
