"""Copy detection: find every copy of every article, whole or partial, with the evidence for each link.

Stages, all behind :class:`CopyIndex`: normalised character shingles (:mod:`.shingles`) -> winnowed
passage fingerprints (:mod:`.fingerprints`) -> candidates from a capped inverted index
(:mod:`.candidates`) -> shared runs and the evidence an editor looks at (:mod:`.runs`,
:mod:`.evidence`, :mod:`.quotes`) -> a calibrated copy probability (:mod:`.decision`) -> ``copy`` and
``reuse`` links with passages (:mod:`.links`) -> average-link copy groups and a canonical member
(:mod:`.groups`). :func:`find_copies` runs all of it on one list of texts; :func:`verify` on one pair.
"""

from storyline.copies.batch import find_copies, find_links
from storyline.copies.config import DEFAULT_CONFIG, CopyConfig
from storyline.copies.decision import PairModel, load_pair_model
from storyline.copies.evidence import Evidence, measure
from storyline.copies.groups import (
    CanonicalInfo,
    average_groups,
    choose_canonical,
    component_labels,
    group_members,
    scrape_damage,
)
from storyline.copies.index import CopyIndex, MemoryPostings, Postings
from storyline.copies.verify import Verdict, explain_link, verify

__all__ = [
    "DEFAULT_CONFIG",
    "CanonicalInfo",
    "CopyConfig",
    "CopyIndex",
    "Evidence",
    "MemoryPostings",
    "PairModel",
    "Postings",
    "Verdict",
    "average_groups",
    "choose_canonical",
    "component_labels",
    "explain_link",
    "find_copies",
    "find_links",
    "group_members",
    "load_pair_model",
    "measure",
    "scrape_damage",
    "verify",
]
