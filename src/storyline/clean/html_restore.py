"""Put back article text that trafilatura leaves out for structural reasons.

Two cases, both common on news sites and both invisible to a single-container extractor:

* split bodies: the story is cut into several sibling containers with the same tag and class (ads or
  newsletter boxes sit between them), and trafilatura keeps only the first. Paragraphs of the other
  containers with the same signature are added back at their place in the page.
* embedded posts (``blockquote.twitter-tweet``) between the first and the last paragraph of the
  story: they quote what the story is about, and copies of the story carry them too.

Restored blocks go through the same chrome filters as the rest afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.etree import SubElement, _Element

__all__ = ["RestoreConfig", "restore"]

_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class RestoreConfig:
    """`min_anchor_words`: paragraphs at least this long identify where the story sits in the page;
    `min_container_words`: a sibling container must hold this many words of paragraphs to be added.
    """

    min_anchor_words: int = 8
    min_container_words: int = 30


def _norm(text: str) -> str:
    return " ".join(_WORD_RE.findall(text)).casefold()


def _text(element: _Element) -> str:
    return " ".join("".join(element.itertext()).split())


def restore(raw: _Element, body: _Element, config: RestoreConfig) -> list[str]:
    """Add missing story blocks from the raw page tree `raw` into the extracted `body`; return their texts.

    Page positions are counted over the elements that can matter only (paragraphs, embedded posts,
    containers with a story signature), which orders them as the whole page would, in a fraction of
    the time: a page has thousands of elements, and a Python object for each was most of the cost.
    """
    present = {_norm(_text(b)): b for b in body.iter() if isinstance(b.tag, str)}
    blocks = {k: v for k, v in present.items() if len(k.split()) >= config.min_anchor_words and v in body}
    if not blocks:
        return []
    paragraphs = [(p, _norm(_text(p))) for p in raw.iter("p")]
    matched = [(p, n) for p, n in paragraphs if n in blocks]
    if not matched:
        return []
    parents = {p.getparent() for p, _ in matched}
    signatures = {(e.tag, e.get("class")) for e in parents if e is not None and e.get("class")}
    tags = {"p", "blockquote"} | {tag for tag, _ in signatures}
    order = {element: index for index, element in enumerate(raw.iter(*tags))}
    anchors = [(order[p], blocks[n]) for p, n in matched]
    additions = _split_containers(raw, parents, signatures, set(present), config)
    additions += _embedded_posts(raw, order, anchors, set(present))
    added: list[str] = []
    last: dict[_Element, _Element] = {}
    for position, texts in sorted(((order[e], t) for e, t in additions), key=lambda x: x[0]):
        anchor = max((a for a in anchors if a[0] < position), default=anchors[0], key=lambda a: a[0])[1]
        last[anchor] = _insert_after(body, last.get(anchor, anchor), texts)
        added += texts
    return added


def _split_containers(
    raw: _Element,
    parents: set[_Element | None],
    signatures: set[tuple[str, str | None]],
    present: set[str],
    config: RestoreConfig,
) -> list[tuple[_Element, list[str]]]:
    found: list[tuple[_Element, list[str]]] = []
    if not signatures:
        return found
    for element in raw.iter(*{tag for tag, _ in signatures}):
        if (element.tag, element.get("class")) not in signatures or element in parents:
            continue
        texts = [t for p in element.iterchildren("p") if (t := _text(p)) and _norm(t) not in present]
        if sum(len(t.split()) for t in texts) >= config.min_container_words:
            found.append((element, texts))
    return found


def _embedded_posts(
    raw: _Element, order: dict[_Element, int], anchors: list[tuple[int, _Element]], present: set[str]
) -> list[tuple[_Element, list[str]]]:
    first, last = anchors[0][0], anchors[-1][0]
    found = []
    for quote in raw.iter("blockquote"):
        if "twitter-tweet" not in (quote.get("class") or "") or not first < order[quote] < last:
            continue
        texts = [t for p in quote.iterchildren("p") if (t := _text(p))]
        tail = _text(quote)
        for t in texts:
            tail = tail.replace(t, "", 1)
        texts += [tail.strip()] if tail.strip() else []
        if texts and _norm(texts[0]) not in present:
            found.append((quote, texts))
    return found


def _insert_after(body: _Element, anchor: _Element, texts: list[str]) -> _Element:
    """Insert one paragraph per text after `anchor`, in order; return the last one inserted."""
    for text in texts:
        block = SubElement(body, "p")
        block.text = text
        anchor.addnext(block)
        anchor = block
    return anchor
