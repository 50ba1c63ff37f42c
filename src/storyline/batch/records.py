"""The result rows every output shares: one per input item, one per link.

One implementation of each row, so ``run --out FILE.jsonl``, ``run --out FILE.parquet`` and the
Parquet datasets of ``storyline batch`` (either engine) cannot drift apart: the writers in
:mod:`storyline.batch.output` only encode these dictionaries.
"""

from __future__ import annotations

from typing import Any

from storyline.model import CopyLink
from storyline.pipeline import Outcome
from storyline.store import Store

__all__ = ["OUT_FIELDS", "article_record", "link_record", "reuses_of"]

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


def reuses_of(store: Store, article_id: str, group: str | None) -> list[dict[str, Any]]:
    """The article's links to articles outside its copy group: shared passages that do not make copies,
    as ``{"article", "kind", "probability", "passages": [[own_start, own_end, other_start, other_end,
    quoted]]}``."""
    members = set(store.members([group])) if group else {article_id}
    out = []
    for link in store.links_touching([article_id]):
        other = link.b if link.a == article_id else link.a
        if other in members:
            continue
        mine = link.a == article_id
        spans = [
            [p.a_start, p.a_end, p.b_start, p.b_end, p.quoted]
            if mine
            else [p.b_start, p.b_end, p.a_start, p.a_end, p.quoted]
            for p in link.passages
        ]
        record = {"article": other, "kind": link.kind, "probability": round(link.probability, 4)}
        out.append({**record, "passages": spans})
    return out


def article_record(store: Store, outcome: Outcome) -> dict[str, Any]:
    """The row of one input item: what became of it and, for an article, its final copy group and story
    (so write it after the run's last batch)."""
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
        return record
    article = store.article(outcome.id)
    if article is None:  # pragma: no cover - an ok outcome is always stored first
        raise LookupError(f"article {outcome.id} vanished from the store")
    group = store.groups_of([article.id]).get(article.id)
    record.update(
        reason=None,
        url=article.url,
        site=article.site,
        title=article.title,
        published=article.published.isoformat() if article.published else None,
        published_source=article.published_source,
        text=article.text,
        copy_group=group,
        reuses=reuses_of(store, article.id, group),
        story=store.stories_of([article.id]).get(article.id),
        new=outcome.new,
        removed=[{"text": r.text, "reason": r.reason} for r in article.removed],
        notes=list(article.notes),
    )
    return record
