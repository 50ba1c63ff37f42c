"""Configuration of copy detection, with the probability guarantee of its LSH stage."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_CONFIG", "CopyConfig", "detection_probability"]


def detection_probability(similarity: float, bands: int, rows: int) -> float:
    """Probability that two texts whose sampled shingle sets have this Jaccard similarity share a band key.

    Each band is ``rows`` one-permutation-hashing bins; a band matches with probability ``s**rows`` and the
    pair becomes a candidate when any of the ``bands`` bands matches: ``1 - (1 - s**rows)**bands``.
    """
    return 1.0 - (1.0 - similarity**rows) ** bands


@dataclass(frozen=True, slots=True)
class CopyConfig:
    """Parameters of copy detection.

    Texts are reduced to a stream of lowercase letters and digits (spaces, punctuation, quotes, dashes and
    entities dropped), so glued words, hard line wraps, hyphenated breaks and curly quotes change nothing.
    Shingles are ``shingle_chars``-character windows of that stream; one in ``2**sample_bits`` of them is
    kept, chosen by content, so both copies keep the same ones.

    LSH guarantee (defaults, 24 bands x 3 rows): a pair whose sampled shingle sets have Jaccard similarity
    0.50 becomes a candidate with probability 0.96 (0.6 -> 0.997, 0.4 -> 0.80, 0.1 -> 0.024); see
    :func:`detection_probability`.

    Candidates are then verified exactly: a pair is a copy when the shorter text's shingles are at least
    ``min_containment`` contained in the other and they share at least ``min_shared_chars`` characters of
    text, so a shared quote or template sentence is not enough. Recurring template reports (the same
    wording with this week's figures) are told apart by their numbers: when both texts hold at least
    ``min_numbers`` distinct numbers and less than ``min_number_overlap`` of the shorter list appears in the
    other, the pair is not a copy. Texts with fewer than
    ``min_sketch_shingles`` sampled shingles (about 100 letters) are too short to pass that rule and only
    meet their exact duplicates (same letters and digits). Large batches are sketched in chunks of
    ``chunk_size`` texts by ``workers`` threads.
    """

    shingle_chars: int = 12
    sample_bits: int = 2
    bands: int = 24
    rows: int = 3
    seed: int = 0x5EED
    min_containment: float = 0.6
    min_shared_chars: int = 200
    min_passage_chars: int = 40
    min_sketch_shingles: int = 24
    min_numbers: int = 3
    min_number_overlap: float = 0.5
    workers: int = 2
    chunk_size: int = 1000

    def __post_init__(self) -> None:
        if self.shingle_chars not in (8, 12, 16):
            raise ValueError("shingle_chars must be 8, 12 or 16 (hashed as 4-byte words)")
        if not 0 <= self.sample_bits <= 8:
            raise ValueError("sample_bits must be between 0 and 8")
        if self.bands < 1 or self.rows < 1:
            raise ValueError("bands and rows must be positive")
        if self.workers < 1 or self.chunk_size < 1:
            raise ValueError("workers and chunk_size must be positive")
        if not 0.0 < self.min_containment <= 1.0:
            raise ValueError("min_containment must be in (0, 1]")

    @property
    def num_bins(self) -> int:
        """Number of one-permutation-hashing bins (bands x rows)."""
        return self.bands * self.rows

    def detection_probability(self, similarity: float) -> float:
        """Probability that a pair with this sampled-shingle Jaccard similarity becomes a candidate."""
        return detection_probability(similarity, self.bands, self.rows)


DEFAULT_CONFIG = CopyConfig()
