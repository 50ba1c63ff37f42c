"""Copy detection: find every copy of every article, exact or near, with the evidence for each link.

Stages: :func:`sketch_batch` (normalised character shingles, one-permutation MinHash, LSH band keys) ->
:func:`candidate_pairs` -> :func:`verify` (containment, Jaccard, number check, aligned passages) ->
:func:`group_members` and :func:`choose_canonical`. :func:`find_copies` runs them on one batch.
"""

from storyline.copies.batch import copy_links, find_copies
from storyline.copies.config import DEFAULT_CONFIG, CopyConfig, detection_probability
from storyline.copies.groups import (
    CanonicalInfo,
    choose_canonical,
    component_labels,
    group_members,
    scrape_damage,
)
from storyline.copies.sketch import Sketches, candidate_pairs, sketch_batch
from storyline.copies.verify import Decision, Verdict, decide, verify, verify_many

__all__ = [
    "DEFAULT_CONFIG",
    "CanonicalInfo",
    "CopyConfig",
    "Decision",
    "Sketches",
    "Verdict",
    "candidate_pairs",
    "choose_canonical",
    "component_labels",
    "copy_links",
    "decide",
    "detection_probability",
    "find_copies",
    "group_members",
    "scrape_damage",
    "sketch_batch",
    "verify",
    "verify_many",
]
