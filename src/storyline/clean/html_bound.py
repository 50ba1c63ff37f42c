"""An upper bound on how many words trafilatura's balanced extraction can return for a page.

`extract_html` runs trafilatura a second time, in balanced mode, only to learn whether the precision
text holds less than ``recall_floor`` of the balanced text's words. Where the precision text already
holds that share of `balanced_word_bound`, it holds it of the balanced text too, so the answer is
known without the run (50 of the benchmark's 181 pages), and the result is the one the run would have
given.

Every source balanced mode takes text from is counted (trafilatura 2.x, ``trafilatura_sequence``):

* the main extractor, its recall retry and the baseline rescue take text from the page's text nodes,
  without adding any, after deleting at least ``script``, ``style``, ``svg``, ``aside``, ``footer``
  and ``fencedframe`` (`ALWAYS_DELETED`: both its cleaning and the baseline's delete them);
* the baseline rescue may instead take the bodies embedded as JSON-LD; decoding JSON and HTML escapes
  and dropping markup never yields more ``\\w+`` words than the raw script text has;

so the bound is the larger of the two counts. Where a page could break that reasoning, there is no
bound (None) and the second run happens: MathML (trafilatura turns ``alttext`` attributes into text),
a Discourse preload (posts in an attribute), and pages where no paragraph is sure to survive the
cleaning, since the recall retry then undoes its deletions.

The reasoning rests on trafilatura 2.x's cascade; `tests/clean/test_html_bound.py` checks the bound
against real balanced runs, and it held on all 181 benchmark pages and 275 pages built from
webnews-dev. Counting only the text outside everything trafilatura's own cleaning deletes (``nav``,
``head``, ``form`` ...) would skip more runs, but is no bound: the baseline rescue keeps such text
(one benchmark page returned 1,201 words against such a count of 916).
"""

from __future__ import annotations

import re

from lxml.etree import XPath
from lxml.html import HtmlElement

__all__ = ["ALWAYS_DELETED", "balanced_word_bound"]

#: Elements deleted with their text by trafilatura's cleaning and by its baseline rescue alike.
ALWAYS_DELETED = ("aside", "fencedframe", "footer", "script", "style", "svg")
_WORD_RE = re.compile(r"\w+")
# a superset of the containers trafilatura prunes before cleaning: comment sections and appended
# (infinite-scroll, share-button) blocks, matched on any element and case-insensitively
_PRUNED_CONTAINER = "comment|comol|disqus|dsq-|infinite|mvp-post-add|elementor-share"
_PRUNED_RE = re.compile(_PRUNED_CONTAINER, re.IGNORECASE)
_KEPT_TEXT = XPath("//text()[not(" + " or ".join(f"ancestor::{tag}" for tag in ALWAYS_DELETED) + ")]")
_JSON_LD = XPath('//script[@type="application/ld+json"]/text()')


def balanced_word_bound(page: HtmlElement) -> int | None:
    """At least as many words as trafilatura's balanced extraction of `page` can hold, or None where
    that cannot be told without running it. Counted as `extract_html` counts: ``\\w+`` runs of the
    text nodes joined by spaces."""
    from trafilatura.settings import MANUALLY_CLEANED  # what the cleaning deletes, forms aside

    if next(page.iter("math"), None) is not None or page.find('.//div[@id="data-preloaded"]') is not None:
        return None
    if not _free_paragraph(page, frozenset(MANUALLY_CLEANED) - {"form"}):
        return None
    return max(_words(_KEPT_TEXT(page)), _words(_JSON_LD(page)))


def _words(texts: object) -> int:
    return len(_WORD_RE.findall(" ".join(texts))) if isinstance(texts, list) else 0


def _free_paragraph(page: HtmlElement, deleted: frozenset[str]) -> bool:
    """Whether the page has a ``p`` outside every deleted and pruned element: one survives the
    cleaning, so the recall retry keeps its deletions."""
    return any(not any(_removed(a, deleted) for a in p.iterancestors()) for p in page.iter("p"))


def _removed(element: HtmlElement, deleted: frozenset[str]) -> bool:
    return element.tag in deleted or bool(
        _PRUNED_RE.search(element.get("id") or "") or _PRUNED_RE.search(element.get("class") or "")
    )
