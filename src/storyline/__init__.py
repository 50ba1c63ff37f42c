"""Storyline: turn a pile of scraped news into clean articles, copy groups and stories."""

from storyline.model import Article, CopyGroup, CopyLink, Passage, RawItem, Rejection, Removal

__all__ = ["Article", "CopyGroup", "CopyLink", "Passage", "RawItem", "Rejection", "Removal"]
__version__ = "0.1.0"
