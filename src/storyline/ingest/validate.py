"""The check at the pipeline's door: every item, however it was made, has a valid id and only text.

Ingest's readers already make items this way; the pipeline checks again because it also takes items
made elsewhere (the HTTP service, library callers building `RawItem`s by hand), and a lone surrogate in
one item's title would otherwise fail the whole batch's commit.
"""

from __future__ import annotations

import dataclasses

from storyline.ingest.decode import scrub
from storyline.ingest.ids import id_problem
from storyline.model import RawItem, Rejection

__all__ = ["check_item"]

_TEXT_FIELDS = ("url", "title", "published", "site")


def check_item(item: RawItem) -> RawItem | Rejection:
    """`item` as it is, repaired (control characters and lone surrogates removed, with a note), or a
    Rejection when its id breaks the rule of `ids.id_problem` or no content is left."""
    problem = id_problem(item.id)
    if problem is not None:
        return Rejection(None, item.source, problem, "invalid id")
    content, note = scrub(item.content)
    changes: dict[str, object] = {}
    notes = [note] if note else []
    if note:
        if not content.strip():
            return Rejection(item.id, item.source, "empty (only control characters)", "empty")
        changes["content"] = content
    for name in _TEXT_FIELDS:
        value = getattr(item, name)
        if value is not None:
            fixed, field_note = scrub(value)
            if field_note:
                changes[name] = fixed or None
                notes.append(f"{name}: {field_note}")
    if not changes:
        return item
    return dataclasses.replace(item, notes=(*item.notes, *notes), **changes)  # type: ignore[arg-type]
