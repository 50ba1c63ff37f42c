"""Pages nested deeper than the HTML parser will go keep their text.

libxml2 (under lxml, under trafilatura) stops building the tree 256 elements deep and drops everything
below, so a page of 100,000 nested ``<div>`` lost its whole text and was rejected as "nothing is left
after cleaning". Such a page is parsed again after `flatten_deep` has dropped the tags beyond
`MAX_DEPTH` (their text stays, in the element at the limit). Python-level tree walks in the extractor
stay far from the recursion limit at that depth.
"""

from __future__ import annotations

import re

from lxml.etree import XPath, _Element

__all__ = ["MAX_DEPTH", "PARSER_DEPTH", "flatten_deep", "reaches_depth", "tree_depth"]

#: How deep libxml2 builds a tree; a parsed tree this deep may have lost its lower levels.
PARSER_DEPTH = 250
#: How deep a flattened page is nested at most.
MAX_DEPTH = 128
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)(?:\s[^>]*)?(/?)>")
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "wbr")
)


def tree_depth(root: _Element) -> int:
    """How many levels deep the tree under `root` goes (iteratively: no recursion limit applies)."""
    deepest, stack = 0, [(root, 1)]
    while stack:
        element, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in element)
    return deepest


_DEEP_NODE = XPath(
    "boolean((descendant::* | descendant::comment() | descendant::processing-instruction())"
    "[count(ancestor::*) >= $ancestors])"
)


def reaches_depth(root: _Element, depth: int) -> bool:
    """Whether ``tree_depth(root) >= depth``, asked of libxml2 in one XPath query: about twice as
    fast as the Python walk on a news page, and every page is asked."""
    if depth <= 1:
        return True
    ancestors = sum(1 for _ in root.iterancestors()) + depth - 1
    return bool(_DEEP_NODE(root, ancestors=ancestors))


def flatten_deep(html: str, limit: int = MAX_DEPTH) -> str:
    """`html` with every tag that opens or closes beyond `limit` levels removed, text kept.

    Depth is counted from the tags alone (void elements and ``<x/>`` do not nest), which is what
    matters for a page nested far beyond any real layout.
    """
    parts: list[str] = []
    depth = last = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.groups()
        if name.lower() in _VOID or self_closing:
            continue
        if closing:
            drop = depth > limit
            depth = max(0, depth - 1)
        else:
            depth += 1
            drop = depth > limit
        if drop:
            parts.append(html[last : match.start()])
            last = match.end()
    parts.append(html[last:])
    return "".join(parts)
