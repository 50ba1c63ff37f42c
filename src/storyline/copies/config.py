"""Configuration of copy detection."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_CONFIG", "CopyConfig"]


@dataclass(frozen=True, slots=True)
class CopyConfig:
    """Parameters of copy detection; the defaults are the calibrated values shipped with Storyline.

    Texts are reduced to a stream of lowercase letters and digits (spaces, punctuation, quotes, dashes and
    entities dropped), so glued words, hard line wraps, hyphenated breaks and curly quotes change nothing.
    Shingles are ``shingle_chars``-character windows of that stream; one in ``2**sample_bits`` of them is
    kept, chosen by content, so both copies keep the same ones.

    Candidates: every text keeps the winnowed fingerprints of its sampled shingles (``window``; a shared
    passage of about 60 letters yields at least one common fingerprint, see
    :mod:`storyline.copies.fingerprints`) in an inverted index whose posting lists keep the first
    ``max_postings`` holders; pairs sharing two fingerprints at least ``min_anchor_chars`` apart on one
    diagonal (within ``anchor_tolerance``; see :mod:`storyline.copies.candidates`), or ``min_matches``
    fingerprints anywhere (several short shared passages), become candidates.

    Evidence: shared runs (chains of shared sampled shingles on one diagonal, cut after ``max_gap``
    characters without one) of at least ``min_run_chars`` characters; passages shown to the user are
    runs of at least ``min_passage_chars``; the shares of each text that are shared count runs of
    ``share_run_chars``. Template reports are told apart by their numbers: both texts
    hold ``min_numbers`` distinct numbers and less than ``min_number_overlap`` of the smaller list is in
    the other, while their content words agree at a Jaccard similarity of ``template_topic`` (or of
    ``fragment_topic`` when no shared passage reaches ``fragment_chars``).

    Decision: a pair is a ``copy`` link at a model probability of ``copy_threshold``, a ``reuse`` link when
    not but it shares a narrative passage of ``reuse_chars``; copy groups are average-link clusters of the
    copy probabilities (pairs with no link count 0) at ``group_threshold``. Large batches are sketched in
    chunks of ``chunk_size`` texts.
    """

    shingle_chars: int = 12
    sample_bits: int = 2
    seed: int = 0x5EED
    window: int = 11
    min_anchor_chars: int = 20
    anchor_tolerance: int = 6
    min_matches: int = 4
    max_postings: int = 256
    max_gap: int = 36
    min_run_chars: int = 30
    min_passage_chars: int = 40
    share_run_chars: int = 60
    min_numbers: int = 3
    min_number_overlap: float = 0.5
    template_topic: float = 0.6
    fragment_topic: float = 0.4
    fragment_chars: int = 100
    slot_chars: int = 40
    copy_threshold: float = 0.5
    reuse_chars: int = 80
    group_threshold: float = 0.3
    chunk_size: int = 1000

    def __post_init__(self) -> None:
        if self.shingle_chars not in (8, 12, 16):
            raise ValueError("shingle_chars must be 8, 12 or 16 (hashed as 4-byte words)")
        if not 0 <= self.sample_bits <= 8:
            raise ValueError("sample_bits must be between 0 and 8")
        if self.window < 1 or self.window % 2 == 0:
            raise ValueError("window must be a positive odd number")
        if self.max_postings < 1 or self.chunk_size < 1 or self.min_anchor_chars < 1:
            raise ValueError("max_postings, min_anchor_chars and chunk_size must be positive")
        for name in ("copy_threshold", "group_threshold"):
            if not 0.0 < getattr(self, name) < 1.0:
                raise ValueError(f"{name} must be in (0, 1)")


DEFAULT_CONFIG = CopyConfig()
